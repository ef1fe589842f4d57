//! Where `generate`'s cards go in the formats card makers use: an MSE set,
//! a Cockatrice set, Scryfall-shaped JSON, or card images (one file per card
//! into a directory, or one sheet). The output path is checked before any
//! card is drawn, and written atomically (cardlm-files), so a bad path costs
//! no sampling and leaves nothing half-written.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use cardlm_cards::Card;
use cardlm_files::atomic::{write_dir_atomically, write_file_atomically};

use cardlm_app::export::{self, PNG_SCALE};

/// The image kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Image {
    Png,
    Svg,
}

impl Image {
    fn extension(self) -> &'static str {
        match self {
            Image::Png => "png",
            Image::Svg => "svg",
        }
    }
}

/// Where the output goes, decided before sampling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
    /// One file per card.
    Dir(PathBuf),
}

fn extension_of(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
}

/// Refuses a file target whose folder is missing or which is a directory.
fn check_file(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!("{}: is a directory; give a file name", path.display());
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!(
            "{}: the folder {} does not exist",
            path.display(),
            parent.display()
        );
    }
    Ok(())
}

/// Whether a file name is one that an image output of cardlm writes.
pub fn is_card_image(name: &str) -> bool {
    name.starts_with("card-") && (name.ends_with(".png") || name.ends_with(".svg"))
}

/// Refuses a directory target that exists and holds anything but earlier
/// card images, or whose parent is missing.
fn check_dir(path: &Path) -> Result<()> {
    if path.exists() {
        if !path.is_dir() {
            bail!(
                "{}: exists and is not a directory (give NAME.png or NAME.svg for a sheet)",
                path.display()
            );
        }
        let entries = std::fs::read_dir(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_card_image(&name) {
                bail!(
                    "{}: exists and holds {name:?}, which cardlm did not write; refusing to replace it",
                    path.display()
                );
            }
        }
        return Ok(());
    }
    check_file(path)
}

/// The target for a text export (`--out` optional: stdout without it).
pub fn text_target(out: Option<&Path>) -> Result<Target> {
    match out {
        None => Ok(Target::Stdout),
        Some(p) => {
            check_file(p)?;
            Ok(Target::File(p.to_path_buf()))
        }
    }
}

/// The target of an MSE set (a zip: never to a terminal).
pub fn mse_target(out: Option<&Path>) -> Result<Target> {
    let Some(p) = out else {
        bail!("--format mse writes a zip archive: give --out NAME.mse-set");
    };
    check_file(p)?;
    Ok(Target::File(p.to_path_buf()))
}

/// The target of images: `NAME.png`/`NAME.svg` is one sheet, anything else
/// a directory of one file per card.
pub fn image_target(image: Image, out: Option<&Path>) -> Result<Target> {
    let Some(p) = out else {
        bail!(
            "--format {0} needs --out DIR (one file per card) or --out NAME.{0} (one sheet)",
            image.extension()
        );
    };
    match extension_of(p).as_deref() {
        Some(e) if e == image.extension() => {
            check_file(p)?;
            Ok(Target::File(p.to_path_buf()))
        }
        Some(e @ ("png" | "svg")) => bail!(
            "{}: a .{e} name for --format {}",
            p.display(),
            image.extension()
        ),
        _ => {
            check_dir(p)?;
            Ok(Target::Dir(p.to_path_buf()))
        }
    }
}

/// A file name's part from a card name: lower-case letters and digits,
/// words joined by `-`, at most 40 characters.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "card".to_owned()
    } else {
        out
    }
}

/// One image file per card: `card-01-angel-of-mercy.png`, ...
pub fn image_files(cards: &[&Card], image: Image) -> Result<Vec<(String, Vec<u8>)>> {
    let digits = cards.len().to_string().len().max(2);
    cards
        .iter()
        .enumerate()
        .map(|(i, card)| {
            let name = format!(
                "card-{:0digits$}-{}.{}",
                i + 1,
                slug(&card.name),
                image.extension()
            );
            let bytes = match image {
                Image::Png => cardlm_render::card_png(card, PNG_SCALE),
                Image::Svg => cardlm_render::card_svg_outlined(card).map(String::into_bytes),
            }
            .with_context(|| format!("card {}", i + 1))?;
            Ok((name, bytes))
        })
        .collect()
}

/// All cards on one sheet (cardlm-app's exporter draws it).
pub fn image_sheet(cards: &[&Card], image: Image) -> Result<Vec<u8>> {
    let format = match image {
        Image::Png => export::Format::Png,
        Image::Svg => export::Format::Svg,
    };
    Ok(export::image_sheet(cards, format)?)
}

/// Writes image output to its target (a sheet file or a directory).
pub fn write_images(cards: &[&Card], image: Image, target: &Target) -> Result<()> {
    match target {
        Target::Dir(dir) => {
            let files = image_files(cards, image)?;
            // Earlier card images in the directory may be replaced (check_dir
            // refused anything else).
            let earlier: Vec<String> = std::fs::read_dir(dir)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| is_card_image(n))
                        .collect()
                })
                .unwrap_or_default();
            let names: Vec<&str> = earlier.iter().map(String::as_str).collect();
            write_dir_atomically(dir, &files, &names)?;
        }
        Target::File(path) => write_file_atomically(path, &image_sheet(cards, image)?)?,
        Target::Stdout => bail!("images need --out"),
    }
    Ok(())
}

/// Writes bytes to a file target or stdout.
pub fn write_bytes(target: &Target, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    match target {
        Target::File(path) => write_file_atomically(path, bytes)?,
        Target::Dir(dir) => bail!("{}: expected a file", dir.display()),
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_name_and_refuse_bad_paths() {
        let dir = tempfile::tempdir().unwrap();
        let sheet = dir.path().join("cards.png");
        assert_eq!(
            image_target(Image::Png, Some(&sheet)).unwrap(),
            Target::File(sheet.clone())
        );
        let folder = dir.path().join("cards");
        assert_eq!(
            image_target(Image::Svg, Some(&folder)).unwrap(),
            Target::Dir(folder.clone())
        );
        assert!(image_target(Image::Svg, Some(&sheet)).is_err());
        assert!(image_target(Image::Png, None).is_err());
        assert!(mse_target(None).is_err());
        let missing = dir.path().join("no/such/cards.mse-set");
        let err = mse_target(Some(&missing)).unwrap_err().to_string();
        assert!(
            err.contains("does not exist") && !err.contains('\n'),
            "{err}"
        );
        assert!(text_target(Some(dir.path()))
            .unwrap_err()
            .to_string()
            .contains("is a directory"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("card-01-x.png"), b"old").unwrap();
        assert!(image_target(Image::Png, Some(&folder)).is_ok());
        std::fs::write(folder.join("notes.txt"), b"mine").unwrap();
        assert!(image_target(Image::Png, Some(&folder))
            .unwrap_err()
            .to_string()
            .contains("notes.txt"));
    }

    #[test]
    fn file_names_are_slugs() {
        assert_eq!(slug("Angel of Mercy"), "angel-of-mercy");
        assert_eq!(slug("<Of> Æther!"), "of-ther");
        assert_eq!(slug("???"), "card");
    }
}
