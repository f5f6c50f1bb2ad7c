https.request({ host, rejectUnauthorized: false }); // want: AUR307
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"; // want: AUR307
https.request({ host, rejectUnauthorized: true });
