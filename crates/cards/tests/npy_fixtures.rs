//! The seed's `.npy` files as numpy 1.x and 2.x wrote them
//! (`fixtures/make_npy_fixtures.py`), read by cardlm, and cardlm's own files
//! compared with numpy's bytes.

mod common;

use cardlm_cards::npy::{self, PickleValue};
use cardlm_cards::vocab::{seed_c2i, seed_i2c};
use common::{expected_seed_lines, fixture};

const VERSIONS: [&str; 2] = ["numpy1", "numpy2"];

fn written_by_cardlm(name: &str) -> Vec<u8> {
    npy::seed_npy_files(&expected_seed_lines())
        .into_iter()
        .find(|(file, _)| file == name)
        .map(|(_, bytes)| bytes)
        .unwrap()
}

#[test]
fn reads_the_dicts_of_both_numpy_versions() {
    let lines = expected_seed_lines();
    let i2c = seed_i2c(lines.iter().map(String::as_str));
    let expected_i2c: Vec<(PickleValue, PickleValue)> = i2c
        .iter()
        .enumerate()
        .map(|(i, c)| (PickleValue::Int(i as i64), PickleValue::Str(c.to_string())))
        .collect();
    let expected_c2i: Vec<(PickleValue, PickleValue)> = seed_c2i(&i2c)
        .into_iter()
        .map(|(c, i)| (PickleValue::Str(c.to_string()), PickleValue::Int(i as i64)))
        .collect();
    for version in VERSIONS {
        let dir = fixture("npy").join(version);
        assert_eq!(
            npy::read_seed_dict(&dir.join("i2c.npy")).unwrap(),
            expected_i2c,
            "{version}"
        );
        assert_eq!(
            npy::read_seed_dict(&dir.join("c2i.npy")).unwrap(),
            expected_c2i,
            "{version}"
        );
    }
}

#[test]
fn reads_card_texts_of_both_numpy_versions() {
    for version in VERSIONS {
        let dir = fixture("npy").join(version);
        assert_eq!(
            npy::read_seed_card_texts(&dir).unwrap(),
            expected_seed_lines(),
            "{version}"
        );
    }
}

#[test]
fn writes_the_plain_arrays_byte_for_byte_as_numpy() {
    for version in VERSIONS {
        let dir = fixture("npy").join(version);
        for name in [npy::CARD_TEXTS_FILE, npy::XCARDS_FILE, npy::YCARDS_FILE] {
            let numpy = std::fs::read(dir.join(name)).unwrap();
            assert!(written_by_cardlm(name) == numpy, "{version}/{name}");
        }
    }
}

#[test]
fn own_dicts_read_back() {
    for name in [npy::C2I_FILE, npy::I2C_FILE] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, written_by_cardlm(name)).unwrap();
        let ours = npy::read_seed_dict(&path).unwrap();
        let numpy = npy::read_seed_dict(&fixture("npy/numpy1").join(name)).unwrap();
        assert_eq!(ours, numpy, "{name}");
    }
}

#[test]
fn wrong_shape_or_dtype_is_an_error_naming_the_file() {
    for (file, expected) in [
        ("wrong_dtype_card_texts.npy", "dtype <i8"),
        ("wrong_shape_card_texts.npy", "not one-dimensional"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture("npy/numpy2").join(file),
            dir.path().join(npy::CARD_TEXTS_FILE),
        )
        .unwrap();
        let message = npy::read_seed_card_texts(dir.path())
            .unwrap_err()
            .to_string();
        assert!(message.contains("card_texts.npy"), "{message}");
        assert!(message.contains(expected), "{message}");
    }
    // A dict file that holds an array is an error too.
    let message = npy::read_seed_dict(&fixture("npy/numpy1/xcards.npy"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("0-d object array"), "{message}");
}
