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

macro_rules! builtins {
    ($($variant:ident = $name:literal ($($arg:ident),*) -> $ret:ident, $doc:literal;)*) => {
        /// A builtin function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Builtin { $($variant),* }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }

            /// The expected type of each argument.
            pub fn params(self) -> &'static [Ty] {
                match self { $(Builtin::$variant => &[$(Ty::$arg),*]),* }
            }

            pub fn result(self) -> Ty {
                match self { $(Builtin::$variant => Ty::$ret),* }
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
    Lower = "lower"(String) -> String, "the string in lower case";
    Upper = "upper"(String) -> String, "the string in upper case";
    Trim = "trim"(String) -> String, "the string without leading and trailing white space";
    StartsWith = "starts_with"(String, String) -> Bool, "whether the string starts with the prefix";
    EndsWith = "ends_with"(String, String) -> Bool, "whether the string ends with the suffix";
    Contains = "contains"(Any, Any) -> Bool, "substring of a string, element of a list, or key of an object";
    Split = "split"(String, String) -> List, "the parts of the string between separators";
    Join = "join"(List, String) -> String, "the strings of a list joined by a separator";
    Len = "len"(Any) -> Number, "characters of a string, elements of a list, keys of an object";
    ToString = "to_string"(Any) -> String, "a value as text (strings unchanged, others as JSON)";
    ToNumber = "to_number"(Any) -> Number, "a number, or a string holding one; otherwise absent";
    Keys = "keys"(Object) -> List, "the keys of an object, in document order";
    Values = "values"(Object) -> List, "the values of an object, in document order";
    Any = "any"(List) -> Bool, "whether some element of a list is true";
    All = "all"(List) -> Bool, "whether every element of a list is true";
    Min = "min"(List) -> Number, "the smallest number of a list";
    Max = "max"(List) -> Number, "the largest number of a list";
    Sum = "sum"(List) -> Number, "the sum of the numbers of a list";
    Flatten = "flatten"(List) -> List, "a list of lists as one list (one level)";
    RegexFind = "regex_find"(String, String) -> String, "the first match of a pattern given at run time, or absent";
    CidrContains = "cidr_contains"(String, String) -> Bool, "whether a CIDR block holds an address or a smaller block";
    IsPublicCidr = "is_public_cidr"(String) -> Bool, "whether a CIDR block reaches beyond private, loopback and link-local ranges";
    ArnParse = "arn_parse"(String) -> Object, "an ARN's partition, service, region, account and resource";
    JsonParse = "json_parse"(String) -> Any, "the value a JSON text holds; an object or list is returned unchanged";
    Statements = "statements"(Any) -> List, "an IAM policy's statements, each with list-valued Action, NotAction, Resource, NotResource";
    ActionMatches = "action_matches"(String, String) -> Bool, "whether an IAM action pattern (with * and ?) covers an action, ignoring case";
    Name = "name"(Resource) -> String, "a resource's logical id, address or resource id";
    ResourceType = "resource_type"(Resource) -> String, "a resource's type, such as AWS::S3::Bucket";
    Entry = "entry"(Resource) -> Object, "the whole entry that declares a resource (for CloudFormation: Type, Properties, DeletionPolicy, …)";
    Refs = "refs"(Resource, String) -> List, "the resources this one refers to whose type matches a glob (\"*\" for all)";
    Referrers = "referrers"(Resource, String) -> List, "the resources that refer to this one whose type matches a glob (\"*\" for all)";
}
