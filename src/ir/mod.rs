//! The evaluable IR: an arena of nodes with interned keys, regular expressions (built on first
//! use) and an index by (input kind, resource type). The evaluator reads nothing else.

mod builtin;
mod dump;

mod glob;
pub mod pattern;
mod selection;

pub use builtin::{Builtin, Family, Ty};
pub use glob::{matcher as glob_matcher, Glob};
pub use pattern::Pattern;

use crate::catalogue::{Pillar, Risk};
use crate::model::InputKind;
use crate::source::Span;
use foldhash::HashMap;

pub type NodeId = u32;
pub type Slot = u32;

/// An interned property key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantKind {
    Some,
    All,
    None,
    Count,
}

/// The types `is` can test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeTest {
    String,
    Number,
    Int,
    Bool,
    List,
    Object,
    Null,
    Resource,
    /// Never unknown itself: true exactly when the value is only known at deployment.
    Unknown,
}

impl TypeTest {
    pub const ALL: [(&'static str, TypeTest); 9] = [
        ("string", TypeTest::String),
        ("number", TypeTest::Number),
        ("int", TypeTest::Int),
        ("bool", TypeTest::Bool),
        ("list", TypeTest::List),
        ("object", TypeTest::Object),
        ("null", TypeTest::Null),
        ("resource", TypeTest::Resource),
        ("unknown", TypeTest::Unknown),
    ];
}

/// One expression node. Children are indices into [`Program::nodes`].
#[derive(Clone, Debug)]
pub enum Node {
    Const(u32),
    Local(Slot),
    Get(NodeId, KeyId),
    Index(NodeId, i64),
    /// `[*]`: the elements of a list.
    Elements(NodeId),
    /// `.*`: the values of an object.
    Values(NodeId),
    /// The path steps after a wildcard, applied to each element; absent results are dropped,
    /// and with `flatten` (the steps hold another wildcard) list results are spliced in.
    Map {
        over: NodeId,
        slot: Slot,
        body: NodeId,
        flatten: bool,
    },
    Filter {
        over: NodeId,
        slot: Slot,
        cond: NodeId,
    },
    Not(NodeId),
    Neg(NodeId),
    Exists(NodeId),
    Empty(NodeId),
    Is(NodeId, TypeTest),
    And(NodeId, NodeId),
    Or(NodeId, NodeId),
    Coalesce(NodeId, NodeId),
    Compare(CmpOp, NodeId, NodeId),
    In(NodeId, NodeId),
    Matches(NodeId, u32),
    Arith(ArithOp, NodeId, NodeId),
    List(Vec<NodeId>),
    Quant {
        kind: QuantKind,
        slot: Slot,
        over: NodeId,
        body: NodeId,
    },
    Builtin(Builtin, Vec<NodeId>),
    Call(u32, Vec<NodeId>),
    /// `if c then a else b`; when `c` is unknown, the value of both branches if they agree.
    If(NodeId, NodeId, NodeId),
    /// An object literal: keys in source order.
    Object(Vec<(String, NodeId)>),
    /// `base[key]` with a key or index computed at run time.
    Lookup(NodeId, NodeId),
}

/// A named predicate, called with its own frame of slots.
#[derive(Clone, Debug)]
pub struct Func {
    pub name: String,
    pub arity: u32,
    pub slots: u32,
    pub body: NodeId,
    /// The name each slot was bound to (parameters first), for `check --explain`.
    pub slot_names: Vec<String>,
    /// The body reads none of the parameters, so within one document every call has the
    /// same value (`pred template_tags(r) = some x in resources("*") : …`): the evaluator
    /// computes it once per document instead of once per resource.
    pub constant: bool,
}

impl Node {
    /// Push the nodes this one reads onto `stack`, in no particular order.
    pub fn push_children(&self, stack: &mut Vec<NodeId>) {
        match self {
            Node::Const(_) | Node::Local(_) => {}
            Node::Get(a, _)
            | Node::Index(a, _)
            | Node::Elements(a)
            | Node::Values(a)
            | Node::Not(a)
            | Node::Neg(a)
            | Node::Exists(a)
            | Node::Empty(a)
            | Node::Is(a, _)
            | Node::Matches(a, _) => stack.push(*a),
            Node::Map { over, body, .. } => stack.extend([*over, *body]),
            Node::Filter { over, cond, .. } => stack.extend([*over, *cond]),
            Node::Quant { over, body, .. } => stack.extend([*over, *body]),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Coalesce(a, b)
            | Node::Compare(_, a, b)
            | Node::In(a, b)
            | Node::Arith(_, a, b)
            | Node::Lookup(a, b) => stack.extend([*a, *b]),
            Node::If(c, a, b) => stack.extend([*c, *a, *b]),
            Node::List(items) | Node::Builtin(_, items) | Node::Call(_, items) => {
                stack.extend_from_slice(items)
            }
            Node::Object(fields) => stack.extend(fields.iter().map(|(_, n)| *n)),
        }
    }
}

/// Whether the expression at `root` reads a slot below `first_free` (a predicate's
/// parameters): walked with a stack, so a deep expression cannot overflow it.
pub fn reads_slots_below(nodes: &[Node], root: NodeId, first_free: Slot) -> bool {
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.get(id as usize) else {
            continue;
        };
        if let Node::Local(s) = node {
            if *s < first_free {
                return true;
            }
        }
        node.push_children(&mut stack);
    }
    false
}

#[derive(Clone, Debug)]
pub enum MessagePart {
    Text(String),
    Value(NodeId),
}

#[derive(Clone, Debug)]
pub enum Stmt {
    /// With `for_messages`, no condition reads the value (only messages do): it is worked
    /// out when the block makes its first finding, not for every subject.
    Let {
        slot: Slot,
        value: NodeId,
        for_messages: bool,
    },
    When(NodeId),
    /// `text` is the condition's source, for the default message. When the condition is an
    /// `all` or `none`, `offenders` is the slot its variable names in the message and the
    /// quantifier node: the message sees the elements that broke it.
    Require {
        cond: NodeId,
        message: Vec<MessagePart>,
        text: String,
        offenders: Option<(Slot, NodeId)>,
    },
}

/// One `on` block of a rule.
#[derive(Clone, Debug)]
pub struct Block {
    pub rule: u32,
    pub kind: InputKind,
    pub pattern: Glob,
    /// Runs once per document of its kind (the binding is the document), not per resource.
    pub document: bool,
    pub slots: u32,
    pub stmts: Vec<Stmt>,
    /// The source span of each statement (for `check --explain`).
    pub stmt_spans: Vec<Span>,
    /// The name each slot was bound to (`""` for unnamed slots: wildcards, filters).
    pub slot_names: Vec<String>,
}

/// What a rule says about itself.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    /// `pack.rule`
    pub id: String,
    pub pack: String,
    pub name: String,
    pub doc: String,
    pub pillar: Pillar,
    pub practices: Vec<String>,
    pub risk: Risk,
    pub title: String,
    pub rationale: String,
    pub fix: String,
    pub links: Vec<String>,
    pub kinds: Vec<InputKind>,
    pub span: Span,
}

/// Blocks by (kind, exact type), plus the blocks whose pattern has wildcards.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub exact: HashMap<(InputKind, String), Vec<u32>>,
    pub patterns: Vec<(InputKind, u32)>,
    /// Blocks that run once per document of their kind.
    pub documents: Vec<(InputKind, u32)>,
}

/// A compiled set of rules.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub keys: Vec<String>,
    pub consts: Vec<serde_json::Value>,
    pub regexes: Vec<Pattern>,
    pub nodes: Vec<Node>,
    pub funcs: Vec<Func>,
    pub rules: Vec<RuleInfo>,
    pub blocks: Vec<Block>,
    pub index: Index,
    /// The blocks each resource type selects, kept as documents ask (see `blocks_for`).
    pub selections: selection::Selections,
    /// Nodes evaluated per resource before its remaining rules are undecided; `None` for
    /// the default (`eval::expr::DEFAULT_MAX_STEPS`).
    pub max_steps: Option<u64>,
}

impl Program {
    pub fn key(&self, k: KeyId) -> &str {
        &self.keys[k.0 as usize]
    }

    /// The blocks that select a resource, in block order; worked out once per type.
    pub fn blocks_for(&self, kind: InputKind, type_name: &str) -> std::sync::Arc<[u32]> {
        if let Some(kept) = self.selections.get(kind, type_name) {
            return kept;
        }
        let ids: std::sync::Arc<[u32]> = self.select(kind, type_name).into();
        self.selections.keep(kind, type_name, ids.clone());
        ids
    }

    fn select(&self, kind: InputKind, type_name: &str) -> Vec<u32> {
        let mut ids: Vec<u32> = self
            .index
            .exact
            .get(&(kind, type_name.to_string()))
            .cloned()
            .unwrap_or_default();
        ids.extend(
            self.index
                .patterns
                .iter()
                .filter(|&&(k, b)| k == kind && self.blocks[b as usize].pattern.matches(type_name))
                .map(|&(_, b)| b),
        );
        ids.sort_unstable();
        ids
    }

    pub fn build_index(&mut self) {
        let mut index = Index::default();
        for (i, block) in self.blocks.iter().enumerate() {
            if block.document {
                index.documents.push((block.kind, i as u32));
                continue;
            }
            match block.pattern.exact() {
                Some(exact) => index
                    .exact
                    .entry((block.kind, exact.to_string()))
                    .or_default()
                    .push(i as u32),
                None => index.patterns.push((block.kind, i as u32)),
            }
        }
        self.index = index;
        self.selections = Default::default();
    }
}
