//! Rules → IR: resolve names, check what can be checked statically, lower to [`Program`].

mod lower;
pub use lower::constant;
mod meta;
mod params;

pub use params::{
    apply_overrides, parse_cli_override, Override, OverrideValue, ParamSlot, ParamType,
};

use crate::ast::{Item, PackFile, Pred};
use crate::catalogue::Catalogue;
use crate::diagnostics::{closest, Code, Diagnostic};
use crate::ir::{Block, Glob, KeyId, NodeId, Program, RuleInfo, Stmt};
use crate::model::{InputKind, INPUT_KINDS};
use foldhash::HashMap;

/// How far a predicate may call predicates that call predicates.
const MAX_CALL_DEPTH: usize = 16;

/// Where a predicate stands in lowering (for recursion detection).
#[derive(Clone, Copy, PartialEq)]
enum PredState {
    Pending,
    InProgress,
    /// The function, and the longest chain of predicate calls it starts (itself included).
    Done(u32, usize),
    Failed,
}

/// The state of one compilation.
pub struct Compiler<'a> {
    packs: &'a [PackFile],
    pack_index: HashMap<&'a str, usize>,
    params: Vec<ParamSlot>,
    param_index: HashMap<(usize, String), usize>,
    preds: HashMap<(usize, String), (&'a Pred, PredState)>,
    keys: HashMap<String, KeyId>,
    /// The longest predicate chain called from the body being lowered.
    callee_depth: usize,
    /// Packs with a `use` of a pack that is not loaded: their unknown names are not reported.
    broken_uses: foldhash::HashSet<usize>,
    /// Constant nodes that stand for a parameter, by name, to say where a bad value came from.
    pub(crate) param_nodes: HashMap<NodeId, String>,
    /// What `today()` is for this compilation (`YYYY-MM-DD`).
    pub(crate) today: String,
    /// Packs whose literal patterns a test checks (by index; absent means no).
    tested_packs: Vec<bool>,
    pub program: Program,
    pub diagnostics: Vec<Diagnostic>,
}

/// Compile packs into one program. Errors leave their rules out; the rest still compile.
pub fn compile(packs: &[PackFile], overrides: &[Override]) -> (Program, Vec<Diagnostic>) {
    let today = crate::date::Date::today();
    let (program, _, diagnostics) = compile_with_params(packs, overrides, today);
    (program, diagnostics)
}

/// Compile, and also return the declared parameters with their values after overrides.
/// Compile with `today` as the value of `today()`.
pub fn compile_with_params(
    packs: &[PackFile],
    overrides: &[Override],
    today: crate::date::Date,
) -> (Program, Vec<ParamSlot>, Vec<Diagnostic>) {
    compile_tested(packs, overrides, today, &[])
}

/// [`compile_with_params`], where `tested[i]` says that the literal patterns of pack `i` are
/// checked by a test (the embedded standard library's, in `tests/stdlib.rs`) and need not be
/// checked again: that check is a tenth of compiling the stdlib.
pub fn compile_tested(
    packs: &[PackFile],
    overrides: &[Override],
    today: crate::date::Date,
    tested: &[bool],
) -> (Program, Vec<ParamSlot>, Vec<Diagnostic>) {
    let mut c = Compiler::new(packs);
    c.today = today.to_string();
    c.tested_packs = tested.to_vec();
    c.register();
    c.check_uses();
    c.declare_params();
    apply_overrides(&mut c.params, overrides, &mut c.diagnostics);
    c.lower_all_preds();
    c.lower_rules();
    c.program.build_index();
    c.diagnostics
        .sort_by_key(|d| d.labels.first().map(|l| (l.span.file, l.span.start)));
    (c.program, c.params, c.diagnostics)
}

impl<'a> Compiler<'a> {
    fn new(packs: &'a [PackFile]) -> Compiler<'a> {
        Compiler {
            packs,
            pack_index: HashMap::default(),
            params: Vec::new(),
            param_index: HashMap::default(),
            preds: HashMap::default(),
            keys: HashMap::default(),
            callee_depth: 0,
            broken_uses: Default::default(),
            param_nodes: HashMap::default(),
            today: String::new(),
            tested_packs: Vec::new(),
            program: Program::default(),
            diagnostics: Vec::new(),
        }
    }

    fn duplicate(&mut self, what: &str, name: &crate::ast::Ident, first: crate::source::Span) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::Duplicate,
                format!("{what} `{}` is defined twice", name.name),
            )
            .primary(name.span, "defined again here")
            .secondary(first, "first defined here"),
        );
    }

    fn register(&mut self) {
        let mut names: HashMap<(usize, &str), crate::source::Span> = HashMap::default();
        let packs = self.packs;
        for (pi, pack) in packs.iter().enumerate() {
            if let Some(&prev) = self.pack_index.get(pack.name.name.as_str()) {
                let first = self.packs[prev].name.span;
                self.duplicate("pack", &pack.name, first);
                continue;
            }
            self.pack_index.insert(&pack.name.name, pi);
            for item in &pack.items {
                let name = match item {
                    Item::Param(p) => &p.name,
                    Item::Pred(p) => &p.name,
                    Item::Rule(r) => &r.name,
                };
                if let Some(&first) = names.get(&(pi, name.name.as_str())) {
                    self.duplicate("name", name, first);
                    continue;
                }
                names.insert((pi, &name.name), name.span);
                if let Item::Pred(p) = item {
                    self.preds
                        .insert((pi, p.name.name.clone()), (p, PredState::Pending));
                }
            }
        }
    }

    fn check_uses(&mut self) {
        for (pi, pack) in self.packs.iter().enumerate() {
            for u in &pack.uses {
                if !self.pack_index.contains_key(u.name.as_str()) {
                    let names: Vec<&str> = self.pack_index.keys().copied().collect();
                    let mut d = Diagnostic::error(
                        Code::UnknownPack,
                        format!("no pack named `{}` is loaded", u.name),
                    )
                    .primary(u.span, "unknown pack");
                    if let Some(near) = closest(&u.name, names) {
                        d = d.help(format!("did you mean `{near}`?"));
                    }
                    d = d.help(
                        "names this file takes from that pack are not checked until it loads",
                    );
                    self.diagnostics.push(d);
                    self.broken_uses.insert(pi);
                }
            }
        }
    }

    /// The packs whose names an expression in `pack` sees: itself first, then its `use`s.
    fn visible(&self, pack: usize) -> Vec<usize> {
        let mut v = vec![pack];
        v.extend(
            self.packs[pack]
                .uses
                .iter()
                .filter_map(|u| self.pack_index.get(u.name.as_str()).copied()),
        );
        v
    }

    fn declare_params(&mut self) {
        for (pi, pack) in self.packs.iter().enumerate() {
            for item in &pack.items {
                let Item::Param(p) = item else { continue };
                let Some(ty) = ParamType::parse(&p.ty.name) else {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::UnknownType,
                            format!("unknown parameter type `{}`", p.ty.name),
                        )
                        .primary(p.ty.span, "not a parameter type")
                        .help("parameter types are number, string, bool, list and any"),
                    );
                    continue;
                };
                let value = lower::constant(&p.default);
                match value.filter(|v| ty.accepts(v)) {
                    Some(value) => {
                        self.param_index
                            .insert((pi, p.name.name.clone()), self.params.len());
                        self.params.push(ParamSlot {
                            pack: pack.name.name.clone(),
                            name: p.name.name.clone(),
                            ty,
                            value,
                            span: p.name.span,
                        });
                    }
                    None => {
                        self.diagnostics.push(
                            Diagnostic::error(
                                Code::ParamDefault,
                                format!(
                                    "the default of `{}` is not a constant {}",
                                    p.name.name,
                                    ty.name()
                                ),
                            )
                            .primary(p.default.span, format!("expected a constant {}", ty.name()))
                            .help(
                                "defaults are literals: numbers, strings, bools or lists of them",
                            ),
                        );
                        // Declared all the same (as null), so that its uses are not reported
                        // as unknown names: one error per mistake.
                        self.param_index
                            .insert((pi, p.name.name.clone()), self.params.len());
                        self.params.push(ParamSlot {
                            pack: pack.name.name.clone(),
                            name: p.name.name.clone(),
                            ty,
                            value: serde_json::Value::Null,
                            span: p.name.span,
                        });
                    }
                }
            }
        }
    }

    fn lower_all_preds(&mut self) {
        let mut keys: Vec<(usize, String)> = self.preds.keys().cloned().collect();
        keys.sort();
        for key in keys {
            self.pred_func(&key, None);
        }
    }

    /// The function of a predicate, lowering it on first use.
    fn pred_func(
        &mut self,
        key: &(usize, String),
        call: Option<crate::source::Span>,
    ) -> Option<u32> {
        let (pred, state) = *self.preds.get(key)?;
        match state {
            PredState::Done(f, depth) => {
                self.callee_depth = self.callee_depth.max(depth);
                return Some(f);
            }
            PredState::Failed => return None,
            PredState::InProgress => {
                let mut d = Diagnostic::error(
                    Code::RecursivePredicate,
                    format!("predicate `{}` calls itself, directly or through other predicates", pred.name.name),
                )
                    .secondary(pred.name.span, "defined here")
                    .help("predicates cannot recurse, so every rule terminates; use a quantifier over the collection");
                if let Some(span) = call {
                    d = d.primary(span, "this call closes the cycle");
                }
                self.diagnostics.push(d);
                return None;
            }
            PredState::Pending => {}
        }
        self.preds
            .insert(key.clone(), (pred, PredState::InProgress));
        let outer = std::mem::take(&mut self.callee_depth);
        let mut result = self.lower_pred(key.0, pred);
        let depth = self.callee_depth + 1;
        self.callee_depth = outer.max(depth);
        if result.is_some() && depth > MAX_CALL_DEPTH {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::TooDeep,
                    format!(
                        "predicate `{}` starts a chain of {depth} predicate calls",
                        pred.name.name
                    ),
                )
                .primary(
                    pred.name.span,
                    format!("more than {MAX_CALL_DEPTH} predicates deep"),
                )
                .help("flatten the chain of predicates"),
            );
            result = None;
        }
        let state = result.map_or(PredState::Failed, |f| PredState::Done(f, depth));
        self.preds.insert(key.clone(), (pred, state));
        result
    }

    fn lower_rules(&mut self) {
        let catalogue = Catalogue::embedded();
        for (pi, pack) in self.packs.iter().enumerate() {
            if self.pack_index.get(pack.name.name.as_str()) != Some(&pi) {
                continue;
            }
            for item in &pack.items {
                let Item::Rule(rule) = item else { continue };
                let meta = meta::check(rule, catalogue, &mut self.diagnostics);
                let rule_index = self.program.rules.len() as u32;
                let mut blocks = Vec::new();
                let mut kinds = Vec::new();
                let mut ok = meta.is_some();
                for b in &rule.blocks {
                    let Some(kind) = InputKind::parse(&b.kind.name) else {
                        let words = INPUT_KINDS.map(InputKind::id);
                        let mut d = Diagnostic::error(
                            Code::UnknownInputKind,
                            format!("unknown input kind `{}`", b.kind.name),
                        )
                        .primary(b.kind.span, "not an input kind");
                        d = match closest(&b.kind.name, words) {
                            Some(near) => d.help(format!("did you mean `{near}`?")),
                            None => d.help(format!("the kinds are {}", words.join(", "))),
                        };
                        self.diagnostics.push(d);
                        ok = false;
                        continue;
                    };
                    match self.lower_block(pi, b) {
                        Some(lowered) => {
                            if !kinds.contains(&kind) {
                                kinds.push(kind);
                            }
                            blocks.push(Block {
                                rule: rule_index,
                                kind,
                                pattern: Glob::new(&b.pattern.value),
                                document: b.document,
                                slots: lowered.slots,
                                stmts: lowered.stmts,
                                stmt_spans: lowered.spans,
                                slot_names: lowered.names,
                            });
                        }
                        None => ok = false,
                    }
                }
                let (true, Some(meta)) = (ok, meta) else {
                    continue;
                };
                self.program.blocks.extend(blocks);
                self.program.rules.push(RuleInfo {
                    id: format!("{}.{}", pack.name.name, rule.name.name),
                    pack: pack.name.name.clone(),
                    name: rule.name.name.clone(),
                    doc: rule.doc.clone(),
                    pillar: meta.pillar,
                    practices: meta.practices,
                    risk: meta.risk,
                    title: meta.title,
                    rationale: meta.rationale,
                    fix: meta.fix,
                    links: meta.links,
                    kinds,
                    span: rule.name.span,
                });
            }
        }
    }

    /// The parameters after overrides, for `buttress rules --params`.
    pub fn params(&self) -> &[ParamSlot] {
        &self.params
    }
}

/// Statements of a block or function body are lowered by [`lower`].
/// A lowered block: its slot count, statements, each statement's span, and slot names.
pub(crate) struct Lowered {
    pub slots: u32,
    pub stmts: Vec<Stmt>,
    pub spans: Vec<crate::source::Span>,
    pub names: Vec<String>,
}
