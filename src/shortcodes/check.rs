//! Checking a call against what its shortcode declares: its name, its arguments and
//! their types, whether it takes a body; problems with "did you mean".

use indexmap::IndexMap;

use super::{Arg, ArgSpec, ArgType, ArgValue, BodyMode, Problem, Shortcodes};
use crate::error::closest;

/// The problems of a call of `name` with `args` at byte `offset`, against the declared
/// shortcodes (`None`: the templates did not load, nothing can be checked).
pub(crate) fn check_call(
    known: Option<&Shortcodes>,
    name: &str,
    args: &[Arg],
    with_body: bool,
    offset: usize,
) -> Vec<Problem> {
    let Some(known) = known else {
        return Vec::new();
    };
    let Some(shortcode) = known.get(name) else {
        let names: Vec<&str> = known.iter().map(|(n, _)| n).collect();
        let hint = match closest(name, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if names.is_empty() => {
                format!("add templates/shortcodes/{name}.html to define it")
            }
            None => format!(
                "add templates/shortcodes/{name}.html, or use one of: {}",
                names.join(", ")
            ),
        };
        return vec![Problem {
            offset,
            message: format!("unknown shortcode `{name}`"),
            hint,
        }];
    };
    let declaration = &shortcode.declaration;
    let mut problems = Vec::new();
    if with_body && declaration.body == BodyMode::None {
        problems.push(Problem {
            offset,
            message: format!("shortcode `{name}` takes no body"),
            hint: format!("call it as `{{{{ {name}(…) }}}}`, without `{{% end %}}`"),
        });
    }
    if let Some(declared) = &declaration.args {
        check_args(name, declared, args, offset, &mut problems);
    }
    problems
}

/// The problems of `args` against the arguments `declared` by shortcode `name`: unknown
/// ones, values of the wrong type, required ones missing.
fn check_args(
    name: &str,
    declared: &IndexMap<String, ArgSpec>,
    args: &[Arg],
    offset: usize,
    problems: &mut Vec<Problem>,
) {
    for arg in args {
        match declared.get(&arg.name) {
            None => {
                let names: Vec<&str> = declared.keys().map(String::as_str).collect();
                let hint = match closest(&arg.name, names.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if names.is_empty() => format!("`{name}` takes no arguments"),
                    None => format!("`{name}` takes: {}", names.join(", ")),
                };
                problems.push(Problem {
                    offset: arg.offset,
                    message: format!("shortcode `{name}` has no argument `{}`", arg.name),
                    hint,
                });
            }
            Some(spec) if !spec.ty.accepts(&arg.value) => problems.push(Problem {
                offset: arg.offset,
                message: format!(
                    "argument `{}` of `{name}` must be {}, not {}",
                    arg.name,
                    spec.ty.describe(),
                    arg.value.type_name()
                ),
                hint: example(spec.ty, &arg.name),
            }),
            Some(_) => {}
        }
    }
    for (arg, spec) in declared {
        if spec.required && !args.iter().any(|a| a.name == *arg) {
            let doc = spec
                .doc
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            problems.push(Problem {
                offset,
                message: format!("shortcode `{name}` needs argument `{arg}`"),
                hint: format!("add `{}`{doc}", example_value(spec.ty, arg)),
            });
        }
    }
}

/// The arguments of a call of `name` that are declared pages and written as strings.
pub(crate) fn page_args(known: Option<&Shortcodes>, name: &str, args: &[Arg]) -> Vec<usize> {
    let Some(declared) = known
        .and_then(|k| k.get(name))
        .and_then(|s| s.declaration.args.as_ref())
    else {
        return Vec::new();
    };
    args.iter()
        .enumerate()
        .filter(|(_, a)| {
            matches!(a.value, ArgValue::Str(_))
                && declared.get(&a.name).is_some_and(|s| s.ty == ArgType::Page)
        })
        .map(|(i, _)| i)
        .collect()
}

/// A hint showing an argument of type `ty` written right.
fn example(ty: ArgType, arg: &str) -> String {
    format!("write it as `{}`", example_value(ty, arg))
}

fn example_value(ty: ArgType, arg: &str) -> String {
    match ty {
        ArgType::String | ArgType::Any => format!("{arg}=\"text\""),
        ArgType::Number => format!("{arg}=3"),
        ArgType::Bool => format!("{arg}=true"),
        ArgType::Array => format!("{arg}=[\"a\", \"b\"]"),
        ArgType::Page => format!("{arg}=\"slug-of-the-page\""),
    }
}
