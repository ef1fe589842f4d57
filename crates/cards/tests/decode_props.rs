//! `decode` must never panic, whatever a model (or a user) feeds it.

use cardlm_cards::{decode, render_text};
use proptest::prelude::*;

/// Characters that matter to the decoder, mixed with arbitrary ones.
fn line_strategy() -> impl Strategy<Value = String> {
    let interesting = prop::sample::select(vec![
        'Ⓢ', '⒞', '⒭', '⒯', '⒫', '⒜', 'Ⓔ', 'Ⓝ', '↷', '·', ':', '/', '{', '}', '⑫', 'Ⓦ', '①', 'a',
        ' ', 'x', '1', 'C', '\n',
    ]);
    prop::collection::vec(prop_oneof![interesting, any::<char>()], 0..80)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn decode_never_panics_on_marker_soup(line in line_strategy()) {
        let card = decode(&line);
        let _ = render_text(&card);
        prop_assert_eq!(card.well_formed, card.problems.is_empty());
    }

    #[test]
    fn decode_never_panics_on_any_string(line in any::<String>()) {
        let card = decode(&line);
        let _ = serde_json::to_string(&card).unwrap();
    }

    #[test]
    fn well_formed_lines_reencode_to_themselves(
        name in "[a-z][a-z ']{0,15}[a-z]",
        cost in prop::collection::vec(prop::sample::select(vec!["Ⓦ", "Ⓤ", "②", "⑫}", "Ⓧ"]), 1..4),
        ability in "[a-z ,.]{0,30}",
        power in 0u8..20,
    ) {
        let line = format!("Ⓢ{name}⒞{}⒭R⒯creature:elf⒫{power}/1⒜{ability}Ⓔ", cost.concat());
        let card = decode(&line);
        prop_assume!(card.well_formed && !ability.contains(name.as_str()));
        let again = cardlm_cards::encode::encode_unfiltered(&card.to_source());
        prop_assert_eq!(again, line);
    }
}
