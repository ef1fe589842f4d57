//! `cardlm generate` into the formats card makers use, with the shipped model:
//! the MSE set read back field by field, Scryfall JSON read back by
//! `cardlm prepare`, Cockatrice XML, PNG/SVG images, and one-line errors for
//! bad output paths with nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cardlm_cards::export::mse::{read_set, untagged};
use cardlm_cards::export::{faces, Face};

fn model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default")
}

fn generate(extra: &[&str]) -> Output {
    let model = model();
    let mut args = vec![
        "generate",
        "--model",
        model.to_str().unwrap(),
        "-n",
        "6",
        "--seed",
        "11",
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args(&args)
        .output()
        .unwrap()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// The same cards as JSON (what every other format is compared with).
fn cards_json() -> Vec<serde_json::Value> {
    serde_json::from_str(&ok(&generate(&["--format", "json"]))).unwrap()
}

#[test]
fn the_mse_set_holds_every_field_of_every_card() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cards.mse-set");
    ok(&generate(&[
        "--format",
        "mse",
        "--out",
        out.to_str().unwrap(),
    ]));
    let (top, cards) = read_set(&std::fs::read(&out).unwrap()).unwrap();
    assert!(top.iter().any(|e| e.key == "game" && e.value == "magic"));
    assert!(top
        .iter()
        .any(|e| e.key == "stylesheet" && e.value == "m15"));
    let json = cards_json();
    assert_eq!(cards.len(), json.len());
    for (fields, j) in cards.iter().zip(&json) {
        let card = cardlm_cards::decode(j["line"].as_str().unwrap());
        let face: &Face = &faces(&card)[0];
        assert_eq!(untagged(&fields["name"]), face.name);
        assert_eq!(
            fields.get("casting_cost").cloned().unwrap_or_default(),
            cardlm_cards::export::mse::casting_cost(face)
        );
        assert_eq!(fields.get("power"), face.power.as_ref());
        assert_eq!(fields.get("toughness"), face.toughness.as_ref());
        assert_eq!(
            fields
                .get("rule_text")
                .map(|t| untagged(t))
                .unwrap_or_default(),
            face.rules_text()
        );
        assert!(fields["notes"].starts_with("cardlm: "));
    }
}

#[test]
fn prepare_reads_the_scryfall_output_back_to_the_generated_lines() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("cards.json");
    ok(&generate(&[
        "--format",
        "scryfall",
        "--out",
        json_path.to_str().unwrap(),
    ]));
    let objects: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert!(objects.iter().all(|o| o["object"] == "card"));
    let corpus = dir.path().join("corpus");
    let prepared = Command::new(env!("CARGO_BIN_EXE_cardlm"))
        .args([
            "prepare",
            json_path.to_str().unwrap(),
            "--out",
            corpus.to_str().unwrap(),
        ])
        .args(["--valid-fraction", "0", "--keep-reprints"])
        .output()
        .unwrap();
    ok(&prepared);
    let train = std::fs::read_to_string(corpus.join("train.txt")).unwrap();
    let generated: Vec<String> = cards_json()
        .iter()
        .map(|j| j["line"].as_str().unwrap().to_owned())
        .collect();
    let lines: Vec<&str> = train.lines().collect();
    assert!(!lines.is_empty());
    for line in lines {
        assert!(generated.iter().any(|g| g == line), "{line} not generated");
    }
}

#[test]
fn cockatrice_xml_goes_to_stdout() {
    let xml = ok(&generate(&["--format", "cockatrice"]));
    assert!(xml.contains("<cockatrice_carddatabase version=\"4\">"));
    assert_eq!(xml.matches("<card>").count(), 6);
}

#[test]
fn images_one_per_card_or_one_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("images");
    ok(&generate(&[
        "--format",
        "png",
        "--out",
        folder.to_str().unwrap(),
    ]));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6);
    assert!(names[0].starts_with("card-01-") && names[0].ends_with(".png"));
    let png = std::fs::read(folder.join(&names[0])).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // Again into the same folder: the earlier images are replaced.
    ok(&generate(&[
        "--format",
        "png",
        "--out",
        folder.to_str().unwrap(),
    ]));
    let sheet = dir.path().join("sheet.svg");
    ok(&generate(&[
        "--format",
        "svg",
        "--out",
        sheet.to_str().unwrap(),
    ]));
    let svg = std::fs::read_to_string(&sheet).unwrap();
    assert!(svg.starts_with("<svg") && !svg.contains("<text"));
}

#[test]
fn bad_output_paths_are_one_line_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/cards.mse-set");
    let o = generate(&["--format", "mse", "--out", missing.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("does not exist"), "{err}");
    let o = generate(&["--format", "mse"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out"));
    // A folder holding someone's files is never replaced.
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep").unwrap();
    let o = generate(&["--format", "png", "--out", mine.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "only the folder made here");
}
