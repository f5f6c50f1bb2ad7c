fn f(x: u8) {
    dbg!(x); // want: AUR209
    println!("{x}"); // want: AUR209
    tracing::info!(x);
}
