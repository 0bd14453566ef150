//! The builtin functions as the compiler sees them: name, arity, argument and result types.

/// What the compiler knows statically of a value's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Any,
    Bool,
    Number,
    String,
    List,
    Object,
    Resource,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "any value",
            Ty::Bool => "a bool",
            Ty::Number => "a number",
            Ty::String => "a string",
            Ty::List => "a list",
            Ty::Object => "an object",
            Ty::Resource => "a resource",
        }
    }

    /// Whether a value of type `self` may be given where `want` is expected.
    pub fn fits(self, want: Ty) -> bool {
        self == Ty::Any || want == Ty::Any || self == want
    }
}

/// Which family a builtin belongs to (one file of `eval/builtins/` each), and so what it may
/// read: every family but `Resource` and `Document` reads only its arguments, so calls with
/// constant arguments fold at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Strings,
    Collections,
    Net,
    Iam,
    /// Reads a resource of the document (its name, type, entry, relationships).
    Resource,
    /// Reads the whole document (`resources`).
    Document,
    /// The run's context (`today`): one constant for the whole run, set when rules compile.
    Run,
}

impl Family {
    /// Whether the result depends on nothing but the arguments.
    pub fn is_pure(self) -> bool {
        !matches!(self, Family::Resource | Family::Document)
    }
}

macro_rules! builtins {
    ($($variant:ident = $name:literal ($($arg:ident),* $(; $opt:ident)?) -> $ret:ident, $family:ident, $doc:literal;)*) => {
        /// A builtin function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin { $($variant),* }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }

            /// The expected type of each argument, the optional last one included.
            pub fn params(self) -> &'static [Ty] {
                match self { $(Builtin::$variant => &[$(Ty::$arg,)* $(Ty::$opt)?]),* }
            }

            /// How many arguments must be given (the last may be optional).
            pub fn required(self) -> usize {
                match self { $(Builtin::$variant => <[&str]>::len(&[$(stringify!($arg)),*])),* }
            }

            pub fn result(self) -> Ty {
                match self { $(Builtin::$variant => Ty::$ret),* }
            }

            pub fn family(self) -> Family {
                match self { $(Builtin::$variant => Family::$family),* }
            }

            /// One line for `buttress rules --builtins` and the language reference.
            pub fn doc(self) -> &'static str {
                match self { $(Builtin::$variant => $doc),* }
            }

            pub fn lookup(name: &str) -> Option<Builtin> {
                Builtin::ALL.iter().copied().find(|b| b.name() == name)
            }
        }
    };
}

builtins! {
    Lower = "lower"(String) -> String, Strings, "the string in lower case";
    Upper = "upper"(String) -> String, Strings, "the string in upper case";
    Trim = "trim"(String) -> String, Strings, "the string without leading and trailing white space";
    StartsWith = "starts_with"(String, String) -> Bool, Strings, "whether the string starts with the prefix";
    EndsWith = "ends_with"(String, String) -> Bool, Strings, "whether the string ends with the suffix";
    Split = "split"(String, String) -> List, Strings, "the parts of the string between separators";
    Join = "join"(List, String) -> String, Strings, "the strings of a list joined by a separator";
    ToString = "to_string"(Any) -> String, Strings, "a value as text (strings unchanged, lists as `a, b`, objects as JSON)";
    ToNumber = "to_number"(Any) -> Number, Strings, "a number, or a string holding one; otherwise absent";
    RegexFind = "regex_find"(String, String) -> String, Strings, "the first match of a pattern, or absent; an invalid pattern is an error (constant) or unknown (computed)";
    UrlDecode = "url_decode"(String) -> String, Strings, "the text with %XX escapes (and + as space) decoded; unknown when the escapes are not UTF-8";
    SsmParameter = "ssm_parameter"(Any) -> String, Strings, "the Systems Manager parameter a value is read from at deployment (a template parameter of an `AWS::SSM::Parameter::Value<…>` type, such as `/aws/service/ami-windows-latest/…`); absent for a value known now, unknown for one unknown otherwise";
    Contains = "contains"(Any, Any) -> Bool, Collections, "substring of a string, element of a list, or key of an object";
    Len = "len"(Any) -> Number, Collections, "characters of a string, elements of a list, keys of an object; 0 for absent and null";
    Keys = "keys"(Object) -> List, Collections, "the keys of an object, in document order";
    Values = "values"(Object) -> List, Collections, "the values of an object, in document order";
    Get = "get"(Any, Any; Any) -> Any, Collections, "the value at a key of an object or an index of a list, else the default (absent when none is given)";
    Any = "any"(List) -> Bool, Collections, "whether some element of a list is true";
    All = "all"(List) -> Bool, Collections, "whether every element of a list is true";
    Min = "min"(List) -> Number, Collections, "the smallest number of a list";
    Max = "max"(List) -> Number, Collections, "the largest number of a list";
    Sum = "sum"(List) -> Number, Collections, "the sum of the numbers of a list";
    Flatten = "flatten"(List) -> List, Collections, "a list of lists as one list (one level)";
    JsonParse = "json_parse"(String) -> Any, Collections, "the value a JSON text holds; an object or list is returned unchanged";
    CidrContains = "cidr_contains"(String, String) -> Bool, Net, "whether a CIDR block holds an address or a smaller block";
    IsPublicCidr = "is_public_cidr"(String) -> Bool, Net, "whether a CIDR block reaches beyond private, loopback and link-local ranges";
    ArnParse = "arn_parse"(String) -> Object, Iam, "an ARN's partition, service, region, account and resource";
    Statements = "statements"(Any) -> List, Iam, "an IAM policy's statements (from an object, JSON text or URL-encoded JSON text; one statement or a list), each with list-valued Action, NotAction, Resource, NotResource; unknown when the text cannot be read";
    ActionMatches = "action_matches"(String, String) -> Bool, Iam, "whether an IAM action pattern (with * and ?) covers an action, ignoring case";
    Name = "name"(Resource) -> String, Resource, "a resource's logical id, address or resource id";
    ResourceType = "resource_type"(Resource) -> String, Resource, "a resource's type, such as AWS::S3::Bucket";
    Entry = "entry"(Resource) -> Object, Resource, "the whole entry that declares a resource (for CloudFormation: Type, Properties, DeletionPolicy, …)";
    Refs = "refs"(Resource, String; String) -> List, Resource, "the resources this one refers to whose type matches a glob (\"*\" for all); with a third argument, only references made at that property path (`\"Bucket\"`, `\"LoggingConfig.DestinationBucketName\"`)";
    Referrers = "referrers"(Resource, String; String) -> List, Resource, "the resources that refer to this one whose type matches a glob; with a third argument, only those referring from that property path of theirs";
    Today = "today"() -> String, Run, "today's date as `YYYY-MM-DD` (UTC; `--today` or `BUTTRESS_TODAY` sets it), one value for the whole run";
    Resources = "resources"(String) -> List, Document, "every resource of the document whose type matches a glob, in document order";
}
