fn many(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> u8 { // want: AUR105
    a + b + c + d + e + f
}

fn few(a: u8, b: u8) -> u8 {
    a + b
}
