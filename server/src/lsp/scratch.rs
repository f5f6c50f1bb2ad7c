//! The session's private scratch directory: prompts and answers opened as
//! documents live in one `0700` directory per server process, written `0600`,
//! and removed when the server exits. They may hold a file's code and
//! restored secrets, so they are neither readable by other users nor left
//! behind in `$TMPDIR`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

static DIR: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);

/// Write `contents` as `name` in the session directory, creating it on first use.
pub(crate) fn write(name: &str, contents: &str) -> std::io::Result<PathBuf> {
    let mut dir = DIR.lock().map_err(|_| std::io::Error::other("scratch directory lock poisoned"))?;
    if dir.is_none() {
        let created = tempfile::Builder::new().prefix(&format!("aura-{}-", std::process::id())).tempdir()?;
        #[cfg(unix)]
        std::fs::set_permissions(created.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
        *dir = Some(created);
    }
    let path = dir
        .as_ref()
        .map(|d| d.path().join(name))
        .ok_or_else(|| std::io::Error::other("no scratch directory"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path)?.write_all(contents.as_bytes())?;
    Ok(path)
}

/// Remove the session directory and everything in it (at exit).
pub(crate) fn remove() {
    if let Ok(mut dir) = DIR.lock() {
        if let Some(dir) = dir.take() {
            let _ = dir.close();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_private_and_gone_after_remove() {
        let path = super::write("P01-test.md", "secret answer").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "secret answer");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            let dir = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
            assert_eq!((file, dir), (0o600, 0o700));
        }
        super::remove();
        assert!(!path.exists());
        assert!(!path.parent().unwrap().exists());
    }
}
