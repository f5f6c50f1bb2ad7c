fn client() {
    let c = reqwest::Client::builder().danger_accept_invalid_certs(true).build(); // want: AUR307
    let d = reqwest::Client::builder().danger_accept_invalid_certs(false).build();
}
