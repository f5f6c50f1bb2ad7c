fn read(p: *const u8) -> u8 {
    let x = unsafe { *p }; // want: AUR310
    // SAFETY: `p` comes from a live Box owned by the caller.
    let y = unsafe { *p };
    x + y
}
