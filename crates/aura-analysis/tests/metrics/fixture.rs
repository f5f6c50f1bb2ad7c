// Metrics fixture for Rust. Values were worked out by hand.

// expect: plain cc=1 cog=0 params=0 exits=0
fn plain() {}

// expect: else_if cc=3 cog=3 nest=1 params=1 exits=0
fn else_if(x: i32) -> i32 {
    if x > 0 {
        1
    } else if x < 0 {
        -1
    } else {
        0
    }
}

// expect: matcher cc=3 cog=1 nest=1 params=1
fn matcher(x: Option<u8>) -> u8 {
    match x {
        Some(0) => 0,
        Some(n) if n > 1 => n,
        _ => 1,
    }
}

// expect: loops cc=4 cog=8 nest=3 params=2 exits=1
fn loops(items: &[u8], limit: u8) -> u8 {
    'outer: loop {
        for item in items {
            while *item > limit || *item == 0 {
                break 'outer;
            }
        }
    }
    return 0;
}

impl Thing {
    // expect: method cc=2 cog=2 params=2 exits=0
    #[inline]
    pub fn method(&self, v: Vec<u8>) {
        v.iter().for_each(|x| {
            if *x > 0 {
                println!("{x}");
            }
        });
    }
}

// Recursion: +1 once; `Self::fact2` or a method call would not count.
// expect: fact cc=2 cog=3 params=1 exits=0
fn fact(n: u64) -> u64 {
    if n <= 1 { 1 } else { n * fact(n - 1) }
}
