fn first(v: &[u8]) -> u8 {
    // Safety: callers check that `v` is not empty.
    unsafe { *v.get_unchecked(0) }
}

fn second(v: &[u8]) -> u8 {
    // safety: the length is checked above.
    unsafe { *v.get_unchecked(1) }
}

fn third(v: &[u8]) -> u8 {
    unsafe { *v.get_unchecked(2) } // want: AUR310
}
