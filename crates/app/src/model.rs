//! A model directory, loaded once for generation: weights, vocabulary, the
//! markers every card needs and, when they can be had, the training cards'
//! novelty index.

use cardlm_cards::decode::Rules;
use cardlm_cards::FieldOrder;
use std::path::{Path, PathBuf};

use cardlm_cards::field_forcing::ForcingPlan;
use cardlm_cards::judge::realness::Realness;
use cardlm_cards::judge::{ColourPie, Lexicon, Phrasebook, RateTable};
use cardlm_cards::markers::{END, START};
use cardlm_cards::novelty::NoveltyIndex;
use cardlm_cards::novelty_file::{novelty_file_bytes, read_novelty_file};
use cardlm_cards::type_line_guide::TypeLineGuide;
use cardlm_files::layout::{NOVELTY_FILE, REALNESS_FILE, TRAIN_FILE};
use cardlm_files::write_file_atomically;
use cardlm_lm::run::{load_run, LoadedRun, RunConfig};
use std::sync::Arc;

use crate::card::JudgedCard;
use crate::error::{Error, Result};

/// `model`, else `models/default` here, else the one beside the sources.
pub fn resolve_model(model: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(m) = model {
        return Ok(m);
    }
    let here = PathBuf::from("models/default");
    if here.is_dir() {
        return Ok(here);
    }
    let shipped = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/default"));
    if shipped.is_dir() {
        return Ok(shipped);
    }
    Err(Error::NoDefaultModel)
}

/// Loads a run directory's configuration and weights.
pub fn load_model(dir: &Path) -> Result<LoadedRun> {
    if !dir.exists() {
        return Err(Error::NoSuchModel(dir.to_path_buf()));
    }
    load_run(dir).map_err(Error::load_model)
}

/// The training cards of a run, for the novelty verdicts: from `corpus`
/// when given; else the novelty index in the run directory; else the corpus
/// its config.json records (a relative path is tried from here, then from
/// the run directory).
pub fn training_lines(
    dir: &Path,
    config: &RunConfig,
    corpus: Option<&Path>,
) -> Result<Vec<String>> {
    let shipped = dir.join(NOVELTY_FILE);
    if corpus.is_none() && shipped.exists() {
        let lines = read_novelty_file(&shipped).map_err(|e| Error::Novelty(e.to_string()))?;
        return Ok(FieldOrder::lines_in_printed_order(lines));
    }
    let corpus_dir = match corpus {
        Some(c) => c.to_path_buf(),
        None => {
            let Some(recorded) = &config.corpus else {
                return Err(Error::Novelty(format!(
                    "the model has no {NOVELTY_FILE} and its config.json records no training corpus (pass --corpus DIR)"
                )));
            };
            let recorded = Path::new(&recorded.path);
            if recorded.is_relative() && !recorded.exists() {
                dir.join(recorded)
            } else {
                recorded.to_path_buf()
            }
        }
    };
    if corpus.is_none() && !corpus_dir.join(TRAIN_FILE).exists() {
        return Err(Error::Novelty(format!(
            "the model has no {NOVELTY_FILE} and the training corpus is not at {} (pass --corpus DIR)",
            corpus_dir.display()
        )));
    }
    let c = cardlm_cards::load_corpus(&corpus_dir)
        .map_err(|e| Error::Novelty(format!("training corpus {}: {e}", corpus_dir.display())))?;
    // The judges read the printed order; an index written from a text-first
    // corpus holds its lines as they are.
    Ok(FieldOrder::lines_in_printed_order(c.train))
}

/// The novelty index of a loaded run (see [`training_lines`]).
pub fn novelty_index(run: &LoadedRun, corpus: Option<&Path>) -> Result<NoveltyIndex> {
    Ok(NoveltyIndex::new(&training_lines(
        &run.dir,
        &run.config,
        corpus,
    )?))
}

/// What the training cards give the judges, from the same lines as
/// [`novelty_index`] (the shipped index, or the corpus): the novelty index
/// and the strict judge's lexicon, which is gathered from them on loading.
pub fn corpus_judges(run: &LoadedRun, corpus: Option<&Path>) -> Result<CorpusJudges> {
    let lines = training_lines(&run.dir, &run.config, corpus)?;
    Ok(CorpusJudges::from_lines(&lines))
}

/// The judges that need the training cards, gathered from their lines.
pub struct CorpusJudges {
    pub novelty: NoveltyIndex,
    pub lexicon: Lexicon,
    pub phrasebook: Phrasebook,
    pub rates: RateTable,
    pub colour_pie: ColourPie,
}

impl CorpusJudges {
    /// Built side by side on the thread pool: each table reads the ~19,000
    /// training lines on its own, and together they were most of the time a
    /// five-card `generate` took before its first card.
    pub fn from_lines(lines: &[String]) -> Self {
        let ((novelty, lexicon), (phrasebook, (rates, colour_pie))) = rayon::join(
            || rayon::join(|| NoveltyIndex::new(lines), || Lexicon::from_lines(lines)),
            || {
                rayon::join(
                    || Phrasebook::from_lines(lines),
                    || {
                        rayon::join(
                            || RateTable::from_lines(lines),
                            || ColourPie::from_lines(lines),
                        )
                    },
                )
            },
        );
        CorpusJudges {
            novelty,
            lexicon,
            phrasebook,
            rates,
            colour_pie,
        }
    }
}

/// The realness judge of model directory `dir`: `None` when it has no
/// [`REALNESS_FILE`], an error naming the file when it is damaged.
pub fn read_realness(dir: &Path) -> Result<Option<Realness>> {
    let path = dir.join(REALNESS_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let (realness, _) = Realness::read_file(&path).map_err(|e| Error::Realness(e.to_string()))?;
    Ok(Some(realness))
}

/// Writes the novelty index of `lines` into model directory `dir`.
pub fn write_novelty_index(dir: &Path, lines: &[String]) -> Result<()> {
    write_file_atomically(&dir.join(NOVELTY_FILE), &novelty_file_bytes(lines))
        .map_err(|e| Error::Novelty(e.to_string()))
}

/// A model ready to generate cards: loaded once, shared by every request.
pub struct CardModel {
    /// The run directory it was loaded from.
    pub dir: PathBuf,
    pub run: LoadedRun,
    /// The training cards, for the novelty verdicts; `None`: not judged.
    pub novelty: Option<NoveltyIndex>,
    /// The words of the training cards, for the strict verdicts; `None`: not judged.
    pub lexicon: Option<Lexicon>,
    /// The phrases of the training cards' rules texts, for the phrasing
    /// scores; `None`: not judged.
    pub phrasebook: Option<Phrasebook>,
    /// The rates of the training cards' creatures, for the design flaws of a
    /// body far from theirs; `None`: not judged.
    pub rates: Option<RateTable>,
    /// The colours the training cards say each phrase in, for the design
    /// flaw of a phrase off the card's colours; `None`: not judged.
    pub colour_pie: Option<ColourPie>,
    /// The discriminator of the training cards against the model's own
    /// candidates (its [`REALNESS_FILE`]), which the curator weighs; `None`:
    /// the model has none.
    pub realness: Option<Realness>,
    /// The lexicon's type lines, to guide sampling; `None`: no lexicon.
    pub type_guide: Option<Arc<TypeLineGuide>>,
    /// The start symbol `Ⓢ`'s token.
    pub start: u32,
    /// The end symbol `Ⓔ`'s token.
    pub end: u32,
    /// Whose rules judge its lines: a model of the seed's encoding is held to the
    /// seed's (its planeswalkers never had a loyalty to write).
    pub rules: Rules,
    /// The order the model writes a card's fields in; its lines are put in the
    /// printed order before anything judges or shows them.
    pub order: FieldOrder,
}

impl CardModel {
    /// A loaded run with its novelty index (if any) and its realness judge
    /// (when its directory has one). Fails when the vocabulary lacks the
    /// start or end symbol, or the realness file is damaged.
    pub fn new(run: LoadedRun, novelty: Option<NoveltyIndex>) -> Result<Self> {
        let realness = read_realness(&run.dir)?;
        Ok(CardModel {
            realness,
            ..Self::without_realness(run, novelty)?
        })
    }

    /// As [`CardModel::new`], without reading the realness file: to draw the
    /// candidates a new one is fitted to, whatever state the old one is in.
    pub fn without_realness(run: LoadedRun, novelty: Option<NoveltyIndex>) -> Result<Self> {
        let start = run.vocab.id(START).ok_or(Error::MissingSymbol {
            what: "start",
            symbol: START,
        })?;
        let end = run.vocab.id(END).ok_or(Error::MissingSymbol {
            what: "end",
            symbol: END,
        })?;
        Ok(CardModel {
            rules: Rules::for_vocabulary(run.vocab.chars()),
            order: FieldOrder::for_vocabulary(run.vocab.chars()),
            dir: run.dir.clone(),
            run,
            novelty,
            lexicon: None,
            phrasebook: None,
            rates: None,
            colour_pie: None,
            realness: None,
            type_guide: None,
            start,
            end,
        })
    }

    /// Judges `line` as this model's own cards are judged (novelty and the
    /// strict judge when at hand; nothing forced): for a card a front end
    /// gets back, e.g. to export it, whose verdicts it must not take on trust.
    pub fn judge_line(&self, index: usize, line: String) -> JudgedCard {
        let ended = line.ends_with(END);
        let card = JudgedCard::judge(
            index,
            1,
            line,
            ended,
            &ForcingPlan::default(),
            self.novelty.as_ref(),
            self.rules,
        );
        self.with_corpus_verdicts(card)
    }

    /// `card` with the verdicts of every judge built from the training cards
    /// that this model has (strict, phrasing, rates, colour pie): the one
    /// place a new judge joins, for sampled and handed-back cards alike.
    pub fn with_corpus_verdicts(&self, card: JudgedCard) -> JudgedCard {
        card.with_realness(self.realness.as_ref())
            .with_strict(self.lexicon.as_ref())
            .with_phrasing(self.phrasebook.as_ref())
            .with_rates(self.rates.as_ref())
            .with_colour_pie(self.colour_pie.as_ref())
    }

    /// The same model, judging its cards strictly against `lexicon` too, and
    /// guiding their type lines by it.
    pub fn with_lexicon(mut self, lexicon: Option<Lexicon>) -> Self {
        self.type_guide = lexicon
            .as_ref()
            .and_then(TypeLineGuide::from_lexicon)
            .map(|g| Arc::new(g.for_order(self.order)));
        self.lexicon = lexicon;
        self
    }

    /// The same model, scoring its cards' phrasing against `phrasebook` (and
    /// preferring known phrasing when it curates).
    pub fn with_phrasebook(mut self, phrasebook: Option<Phrasebook>) -> Self {
        self.phrasebook = phrasebook;
        self
    }

    /// The same model, judging its creatures' bodies against `rates` (and
    /// preferring bodies at real rates when it curates).
    pub fn with_rates(mut self, rates: Option<RateTable>) -> Self {
        self.rates = rates;
        self
    }

    /// The same model, judging its cards' phrases against the colours real
    /// cards say them in (and preferring phrases of the card's colours when
    /// it curates).
    pub fn with_colour_pie(mut self, colour_pie: Option<ColourPie>) -> Self {
        self.colour_pie = colour_pie;
        self
    }

    /// The same model with every judge of the training cards (when at hand).
    pub fn with_judges(self, judges: Option<CorpusJudges>) -> Self {
        match judges {
            Some(j) => {
                let mut model = self
                    .with_lexicon(Some(j.lexicon))
                    .with_phrasebook(Some(j.phrasebook))
                    .with_rates(Some(j.rates))
                    .with_colour_pie(Some(j.colour_pie));
                model.novelty = Some(j.novelty);
                model
            }
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardlm_lm::run::{TrainOptions, RUN_FORMAT};
    use cardlm_lm::ModelConfig;

    fn config(corpus: Option<&Path>) -> RunConfig {
        RunConfig {
            format: RUN_FORMAT.into(),
            model: ModelConfig {
                vocab_size: 3,
                hidden: 2,
                layers: 1,
                dropout: 0.0,
                tied: true,
                recurrent_activation: cardlm_lm::RecurrentActivation::Sigmoid,
            },
            vocab: vec![],
            training: TrainOptions::default(),
            corpus: corpus.map(|c| cardlm_lm::run::CorpusInfo {
                path: c.display().to_string(),
                ..Default::default()
            }),
            origin: None,
            epochs_trained: None,
        }
    }

    #[test]
    fn the_shipped_index_gives_the_corpus_cards_and_corpus_overrides_it() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        let lines = vec!["Ⓢshock⒞Ⓡ⒭C⒯instant⒜Ⓝ deals 2 damage to any target.Ⓔ".to_owned()];
        let prepared = cardlm_cards::Corpus {
            train: lines.clone(),
            valid: vec![],
            vocab: "Ⓔ"
                .chars()
                .chain(lines[0].chars().filter(|&c| c != 'Ⓔ'))
                .fold(Vec::new(), |mut v, c| {
                    if !v.contains(&c) {
                        v.push(c);
                    }
                    v
                }),
        };
        cardlm_cards::write_corpus(&corpus, &prepared, &Default::default()).unwrap();
        let model = tmp.path().join("model");
        std::fs::create_dir(&model).unwrap();

        // No index, no corpus recorded: a reason, naming the file it lacks.
        let err = training_lines(&model, &config(None), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(NOVELTY_FILE), "{err}");
        // The recorded corpus.
        assert_eq!(
            training_lines(&model, &config(Some(&corpus)), None).unwrap(),
            lines
        );
        // The shipped index, with no corpus anywhere.
        write_novelty_index(&model, &lines).unwrap();
        assert_eq!(training_lines(&model, &config(None), None).unwrap(), lines);
        // --corpus wins over the index.
        std::fs::write(model.join(NOVELTY_FILE), b"damaged").unwrap();
        assert_eq!(
            training_lines(&model, &config(None), Some(&corpus)).unwrap(),
            lines
        );
        let err = training_lines(&model, &config(None), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains(NOVELTY_FILE), "{err}");
    }
}
