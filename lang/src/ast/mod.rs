//! The syntax tree: plain data with spans, built by `syntax`, read by `compile`.

mod spans;
pub use spans::Layout;

use crate::source::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One `.btr` file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackFile {
    pub doc: String,
    pub name: Ident,
    pub uses: Vec<Ident>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Item {
    Param(Param),
    Pred(Pred),
    Rule(Rule),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub doc: String,
    pub name: Ident,
    pub ty: Ident,
    pub default: Expr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pred {
    pub doc: String,
    pub name: Ident,
    pub params: Vec<Ident>,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub doc: String,
    pub name: Ident,
    pub meta: Vec<Meta>,
    pub blocks: Vec<OnBlock>,
    pub span: Span,
}

/// `pillar security`, `practice "SEC08-BP02", "SEC08-BP01"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub key: Ident,
    pub value: MetaValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MetaValue {
    Word(Ident),
    Strings(Vec<StrLit>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrLit {
    /// The text with escapes processed.
    pub value: String,
    /// The span of the literal, quotes included.
    pub span: Span,
    /// Byte offset of the first character after the opening quote.
    pub content_start: u32,
    pub raw: bool,
}

/// `on cloudformation "AWS::S3::*" as bucket { ... }`, or `on cloudformation document as
/// t { ... }`, which runs once per document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnBlock {
    pub kind: Ident,
    /// The type glob; for a document block, empty, with the span of `document`.
    pub pattern: StrLit,
    /// Whether the block is about the whole document rather than each resource.
    pub document: bool,
    /// The binding; a document block without `as` has one with an empty name.
    pub binding: Ident,
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stmt {
    Let {
        name: Ident,
        value: Expr,
    },
    When {
        cond: Expr,
    },
    /// `source` is the condition's text, for the default message.
    Require {
        cond: Expr,
        message: Option<Template>,
        source: String,
    },
}

/// A message with `{expr}` holes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Expr>),
    Name(String),
    /// `@`, the element under test in a filter.
    Current,
    Path(Box<Expr>, Segment),
    Call(Ident, Vec<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Is(Box<Expr>, Ident),
    Quant(Quant, Ident, Box<Expr>, Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{key: value, "other key": value}`.
    Object(Vec<(StrLit, Expr)>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Segment {
    Key(String),
    Index(i64),
    /// `[*]`: every element of a list.
    Wild,
    /// `.*`: every value of an object.
    Values,
    Filter(Box<Expr>),
    /// `[expr]`: a key (string) or index (number) computed at run time.
    Lookup(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnaryOp {
    Not,
    Neg,
    Exists,
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinaryOp {
    Or,
    And,
    Coalesce,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Matches,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Quant {
    Some,
    All,
    None,
    Count,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Or => "or",
            And => "and",
            Coalesce => "??",
            Eq => "==",
            Ne => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            In => "in",
            NotIn => "not in",
            Matches => "matches",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
        }
    }
}

impl Quant {
    pub fn keyword(self) -> &'static str {
        match self {
            Quant::Some => "some",
            Quant::All => "all",
            Quant::None => "none",
            Quant::Count => "count",
        }
    }
}
