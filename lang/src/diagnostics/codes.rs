//! Stable diagnostic codes and their long explanations (`buttress explain CODE`).
//!
//! A code never changes meaning once released. The explanations live in
//! `docs/diagnostics.md`, one `## Bxxxx` section each, embedded here.

macro_rules! codes {
    ($($name:ident = $code:literal, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($name),* }

        /// Every code, in order.
        pub const ALL_CODES: &[Code] = &[$(Code::$name),*];

        impl Code {
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code),* }
            }

            /// One line saying what the code is about.
            pub fn title(self) -> &'static str {
                match self { $(Code::$name => $title),* }
            }

            pub fn parse(text: &str) -> Option<Code> {
                let text = text.trim().to_ascii_uppercase();
                ALL_CODES.iter().copied().find(|c| c.as_str() == text)
            }
        }
    };
}

codes! {
    SyntaxError = "B0101", "syntax error";
    UnterminatedString = "B0102", "unterminated string";
    BadEscape = "B0103", "invalid escape in a string";
    TooDeep = "B0104", "nesting too deep";
    BadTemplate = "B0105", "invalid message template";
    BadNumber = "B0106", "number out of range";
    UnknownName = "B0201", "unknown name";
    UnknownFunction = "B0202", "unknown function or predicate";
    WrongArity = "B0203", "wrong number of arguments";
    Duplicate = "B0204", "defined twice";
    UnknownPack = "B0205", "unknown pack in `use`";
    RecursivePredicate = "B0206", "recursive predicate";
    UnusedLet = "B0207", "unused `let`";
    CurrentOutsideFilter = "B0208", "`@` outside a filter";
    ReplacedPack = "B0209", "a pack replaces a standard-library pack";
    UnknownMetadata = "B0301", "unknown rule metadata field";
    MissingMetadata = "B0302", "missing rule metadata";
    UnknownPillar = "B0303", "unknown pillar";
    UnknownRisk = "B0304", "unknown risk";
    UnknownPractice = "B0305", "unknown best-practice id";
    PracticePillarMismatch = "B0306", "best practice of another pillar";
    UnknownInputKind = "B0307", "unknown input kind";
    DuplicateMetadata = "B0308", "metadata field given twice";
    RuleWithoutBlocks = "B0309", "rule selects no resources";
    BadMetadataValue = "B0310", "metadata value of the wrong form";
    TypeMismatch = "B0401", "type mismatch";
    BadRegex = "B0402", "invalid regular expression";
    UnknownType = "B0403", "unknown type name";
    SchemaUnknownType = "B0410", "resource type in no schema";
    SchemaUnknownProperty = "B0411", "property not in the resource schema";
    SchemaNotObject = "B0412", "property read from a list or a scalar";
    SchemaTypeMismatch = "B0413", "comparison with a literal of another type than the schema's";
    SchemaNotInEnum = "B0414", "value not among those the schema allows";
    UnknownParam = "B0501", "unknown parameter";
    ParamType = "B0502", "parameter value of the wrong type";
    BadParamSyntax = "B0503", "malformed parameter override";
    ParamDefault = "B0504", "parameter default is not a constant of its type";
    BadConfig = "B0505", "invalid buttress.toml";
    NoRules = "B0506", "no rules to run";
    UnreadableInput = "B0601", "input could not be read";
    InvalidJson = "B0602", "invalid JSON or YAML";
    SkippedInput = "B0603", "resource not checked";
    BadTemplateShape = "B0604", "malformed input document";
    NotUtf8 = "B0605", "input is not UTF-8";
    NoInputs = "B0606", "no inputs found";
    UnreadableRules = "B0607", "rule file could not be read";
    LineTooLong = "B0608", "stream line too long";
    InputTooLarge = "B0609", "input too large";
    FixtureUnknownRule = "B0701", "fixture for an unknown rule";
    FixtureBadName = "B0702", "fixture name says no expected outcome";
    FixtureMismatch = "B0703", "fixture outcome differs from expected";
    FixtureVacuous = "B0704", "fixture does not exercise its rule";
    FixtureBadExpect = "B0710", "invalid expect.toml";
    FixtureExpectNoFile = "B0711", "expectation for a fixture that does not exist";
    FixtureOutsideRule = "B0712", "fixture outside a rule's folder";
    FixtureResources = "B0713", "fixture's resources fail or pass otherwise than expected";
    FixtureMessage = "B0714", "finding message differs from expected";
    FixtureCount = "B0715", "number of findings differs from expected";
    FixtureNotSkipped = "B0716", "skip fixture checked a resource";
    NotFormatted = "B0801", "rule file not formatted";
    FormatUnsafe = "B0802", "formatting refused: it would change the file's meaning";
    NewRuleName = "B0803", "not a rule id";
    NewRuleExists = "B0804", "the new rule exists already";
    ReportUnwritable = "B0900", "report could not be written";
    ReportDestination = "B0901", "two reports to one destination";
    BadWaiver = "B0902", "invalid waiver";
    WaiverExpired = "B0903", "waiver expired";
    UnusedWaiver = "B0904", "waiver matches no finding";
    BadBaseline = "B0905", "invalid baseline";
    WorkloadSyntax = "B1001", "invalid workload file";
    WorkloadUnknownKey = "B1002", "unknown key in the workload file";
    WorkloadUnknownPractice = "B1003", "unknown best practice in the answers";
    WorkloadBadValue = "B1004", "workload value of the wrong form";
    WorkloadMissingKey = "B1005", "missing workload key";
    WorkloadUnreadable = "B1006", "workload file could not be read";
    MilestoneError = "B1007", "milestone could not be read or written";
    WorkloadExists = "B1008", "workload file already exists";
    ImportAnswers = "B1009", "answers could not be imported";
    LensInvalid = "B1010", "not a lens in the Tool's format";
    LensLimit = "B1011", "lens beyond the Tool's limits";
    LensRiskRule = "B1012", "invalid lens risk rule";
    LensOverlap = "B1013", "lens risk rules overlap";
}

const EXPLANATIONS: &str = include_str!("../../../docs/diagnostics.md");

/// The long explanation of a code, from `docs/diagnostics.md`.
pub fn explanation(code: Code) -> Option<&'static str> {
    let heading = format!("## {}", code.as_str());
    let start = EXPLANATIONS.find(&heading)?;
    let body = &EXPLANATIONS[start..];
    let end = body[3..].find("\n## ").map_or(body.len(), |i| i + 3);
    Some(body[..end].trim_end())
}
