// SPDX-License-Identifier: GPL-2.0

//! Generator of the BPF watchdog's tracking wrappers.
//!
//! See [`crate::bpf_watchdog_resources`] for the table syntax.  Everything the
//! watchdog knows about a resource kind (its name, how it is released) and
//! about a tracked kfunc or helper (its prototype, whether it acquires or
//! releases, what the record entry holds) is written once, in the table; this
//! module turns the table into code, so no wrapper can forget the protocol.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{
    parenthesized,
    parse::{Parse, ParseStream},
    punctuated::Punctuated,
    Attribute, Expr, ExprClosure, FnArg, Ident, LitStr, Pat, Path, ReturnType, Token,
};

mod kw {
    syn::custom_keyword!(kind);
    syn::custom_keyword!(acquire);
    syn::custom_keyword!(release);
    syn::custom_keyword!(exempt);
    syn::custom_keyword!(pending);
    syn::custom_keyword!(acquired);
    syn::custom_keyword!(released);
    syn::custom_keyword!(current);
    syn::custom_keyword!(cancel);
    syn::custom_keyword!(next);
}

/// `kind Name("name") = |addr, aux| release-expression;`
struct KindDef {
    attrs: Vec<Attribute>,
    ident: Ident,
    name: LitStr,
    release: ExprClosure,
}

/// What a tracked function does to the record.
enum Role {
    Acquire,
    Release,
    /// An iterator's `next`: no record change, only a cancellation point.
    Next,
    /// A call that consumes one resource and hands back another
    /// (`bpf_ct_insert_entry()` turns a new conntrack entry into a
    /// reference to the inserted one): a release of the first kind, then
    /// an acquire of the second.
    Replace {
        /// The kind it consumes.
        kind: Ident,
        /// The address of what it consumes.
        addr: Expr,
    },
}

/// `fn name(args) -> ret: acquire|release|next Kind(addr[, aux]) [if cond];`
/// or `fn name(args) -> ret: release Kind(addr), acquire Kind(addr[, aux]) [if cond];`
///
/// `release any(addr)` gives up the run's newest entry at `addr` whatever
/// its kind: ownership that leaves the program for a map (`bpf_kptr_xchg()`
/// takes any referenced kernel object).
struct Tracked {
    attrs: Vec<Attribute>,
    name: Ident,
    inputs: Punctuated<FnArg, Token![,]>,
    output: ReturnType,
    role: Role,
    /// `None` for `any`.
    kind: Option<Ident>,
    addr: Expr,
    aux: Option<Expr>,
    cond: Option<Expr>,
}

/// `exempt name, name: "why";` or `pending name, name: "why";`
struct Untracked {
    attrs: Vec<Attribute>,
    pending: bool,
    names: Vec<Ident>,
    why: LitStr,
}

struct Table {
    acquired: Path,
    released: Path,
    current: Path,
    cancel: Path,
    kinds: Vec<KindDef>,
    tracked: Vec<Tracked>,
    untracked: Vec<Untracked>,
}

impl Parse for Table {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.parse::<kw::acquired>()?;
        input.parse::<Token![=]>()?;
        let acquired = input.parse()?;
        input.parse::<Token![;]>()?;
        input.parse::<kw::released>()?;
        input.parse::<Token![=]>()?;
        let released = input.parse()?;
        input.parse::<Token![;]>()?;
        input.parse::<kw::current>()?;
        input.parse::<Token![=]>()?;
        let current = input.parse()?;
        input.parse::<Token![;]>()?;
        input.parse::<kw::cancel>()?;
        input.parse::<Token![=]>()?;
        let cancel = input.parse()?;
        input.parse::<Token![;]>()?;

        let mut table = Table {
            acquired,
            released,
            current,
            cancel,
            kinds: Vec::new(),
            tracked: Vec::new(),
            untracked: Vec::new(),
        };
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let la = input.lookahead1();
            if la.peek(kw::kind) {
                input.parse::<kw::kind>()?;
                let ident = input.parse()?;
                let content;
                parenthesized!(content in input);
                let name = content.parse()?;
                input.parse::<Token![=]>()?;
                let release = input.parse()?;
                input.parse::<Token![;]>()?;
                table.kinds.push(KindDef {
                    attrs,
                    ident,
                    name,
                    release,
                });
            } else if la.peek(Token![fn]) {
                input.parse::<Token![fn]>()?;
                let name = input.parse()?;
                let content;
                parenthesized!(content in input);
                let inputs = content.parse_terminated(FnArg::parse, Token![,])?;
                let output = input.parse()?;
                input.parse::<Token![:]>()?;
                let la = input.lookahead1();
                let role = if la.peek(kw::acquire) {
                    input.parse::<kw::acquire>()?;
                    Role::Acquire
                } else if la.peek(kw::release) {
                    input.parse::<kw::release>()?;
                    Role::Release
                } else if la.peek(kw::next) {
                    input.parse::<kw::next>()?;
                    Role::Next
                } else {
                    return Err(la.error());
                };
                let kind: Ident = input.parse()?;
                let kind = (kind != "any").then_some(kind);
                if kind.is_none() && !matches!(role, Role::Release) {
                    return Err(input.error("only a release can be of `any` kind"));
                }
                let content;
                parenthesized!(content in input);
                let addr = content.parse()?;
                let aux = if content.parse::<Option<Token![,]>>()?.is_some() {
                    Some(content.parse()?)
                } else {
                    None
                };
                // `release K(a), acquire K2(b)`: what was parsed is the
                // release; the acquire follows.
                let (role, kind, addr, aux) = if matches!(role, Role::Release)
                    && input.parse::<Option<Token![,]>>()?.is_some()
                {
                    let Some(released) = kind else {
                        return Err(input.error("a replacing call releases one kind"));
                    };
                    if aux.is_some() {
                        return Err(input.error("a release keeps no `aux`"));
                    }
                    input.parse::<kw::acquire>()?;
                    let acquired: Ident = input.parse()?;
                    let content;
                    parenthesized!(content in input);
                    let new_addr = content.parse()?;
                    let new_aux = if content.parse::<Option<Token![,]>>()?.is_some() {
                        Some(content.parse()?)
                    } else {
                        None
                    };
                    let role = Role::Replace {
                        kind: released,
                        addr,
                    };
                    (role, Some(acquired), new_addr, new_aux)
                } else {
                    (role, kind, addr, aux)
                };
                let cond = if input.parse::<Option<Token![if]>>()?.is_some() {
                    Some(input.call(Expr::parse_without_eager_brace)?)
                } else {
                    None
                };
                input.parse::<Token![;]>()?;
                table.tracked.push(Tracked {
                    attrs,
                    name,
                    inputs,
                    output,
                    role,
                    kind,
                    addr,
                    aux,
                    cond,
                });
            } else if la.peek(kw::exempt) || la.peek(kw::pending) {
                let pending = input.parse::<Option<kw::pending>>()?.is_some();
                if !pending {
                    input.parse::<kw::exempt>()?;
                }
                let mut names = vec![input.parse()?];
                while input.parse::<Option<Token![,]>>()?.is_some() {
                    names.push(input.parse()?);
                }
                input.parse::<Token![:]>()?;
                let why = input.parse()?;
                input.parse::<Token![;]>()?;
                table.untracked.push(Untracked {
                    attrs,
                    pending,
                    names,
                    why,
                });
            } else {
                return Err(la.error());
            }
        }
        Ok(table)
    }
}

/// Keeps only the `#[cfg(...)]` attributes, which gate every item generated
/// for a table entry.
fn cfgs(attrs: &[Attribute]) -> Vec<&Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).collect()
}

fn arg_names(inputs: &Punctuated<FnArg, Token![,]>) -> syn::Result<Vec<Ident>> {
    inputs
        .iter()
        .map(|arg| match arg {
            FnArg::Typed(t) => match &*t.pat {
                Pat::Ident(p) => Ok(p.ident.clone()),
                p => Err(syn::Error::new_spanned(p, "expected an argument name")),
            },
            FnArg::Receiver(r) => Err(syn::Error::new_spanned(r, "unexpected receiver")),
        })
        .collect()
}

fn expand(table: Table) -> syn::Result<TokenStream> {
    let Table {
        acquired,
        released,
        current,
        cancel,
        kinds,
        tracked,
        untracked,
    } = table;

    // The kinds.
    let kind_variants = kinds.iter().enumerate().map(|(i, k)| {
        let attrs = &k.attrs;
        let ident = &k.ident;
        let disc = i + 1;
        quote! { #(#attrs)* #ident = #disc as u8, }
    });
    let kind_names = kinds.iter().map(|k| {
        let cfg = cfgs(&k.attrs);
        let (ident, name) = (&k.ident, &k.name);
        quote! { #(#cfg)* Kind::#ident => #name, }
    });
    let kind_c_names = kinds.iter().map(|k| {
        let cfg = cfgs(&k.attrs);
        let (ident, name) = (&k.ident, &k.name);
        quote! { #(#cfg)* Kind::#ident => concat!(#name, "\0"), }
    });
    let kind_from = kinds.iter().map(|k| {
        let cfg = cfgs(&k.attrs);
        let ident = &k.ident;
        quote! { #(#cfg)* x if x == Kind::#ident as u8 => Some(Kind::#ident), }
    });
    let kind_all = kinds.iter().map(|k| {
        let cfg = cfgs(&k.attrs);
        let ident = &k.ident;
        quote! { #(#cfg)* f(Kind::#ident); }
    });
    let kind_release = kinds.iter().map(|k| {
        let cfg = cfgs(&k.attrs);
        let (ident, release) = (&k.ident, &k.release);
        quote! {
            #(#cfg)*
            Kind::#ident => {
                let release: fn(usize, usize) = #release;
                release(addr, aux)
            }
        }
    });

    // The original functions and their wrappers.
    let mut decls = Vec::new();
    let mut wrappers = Vec::new();
    let mut lookups = Vec::new();
    let mut visits = Vec::new();
    for t in &tracked {
        let cfg = cfgs(&t.attrs);
        let attrs = &t.attrs;
        let name = &t.name;
        let inputs = &t.inputs;
        let output = &t.output;
        let args = arg_names(inputs)?;
        let wrapper = format_ident!("bpf_wd_{}", name);
        let kind = match &t.kind {
            Some(k) => quote!(Some(Kind::#k)),
            None => quote!(None),
        };
        // The parser allows `any` only for a release.
        let acquired_kind = t.kind.as_ref().map(|k| quote!(Kind::#k));
        let addr = &t.addr;
        let aux = t.aux.clone().unwrap_or_else(|| syn::parse_quote!(0));
        let cond = t.cond.clone().unwrap_or_else(|| syn::parse_quote!(true));
        let doc = format!(
            "Tracking wrapper of `{}`: the verifier redirects calls here.",
            name
        );
        let is_point = !matches!(t.role, Role::Release);
        let consumes = match &t.role {
            Role::Replace { kind, .. } => quote!(Some(Kind::#kind)),
            _ => quote!(None),
        };
        // What a replacing call consumes: its entry goes before the call,
        // as a release's does, for the call may free it whatever it returns.
        let consume = match &t.role {
            Role::Replace {
                kind: gone_kind,
                addr: gone_addr,
            } => quote! {
                #released(Some(Kind::#gone_kind), (#gone_addr) as usize);
            },
            _ => quote!(),
        };
        let (is_acquire, body) = match &t.role {
            Role::Acquire | Role::Replace { .. } => (
                true,
                quote! {
                    let run = #current();
                    if run.is_null() {
                        // No run the watchdog tracks (it is off): nothing
                        // to record and no run to cancel.
                        // SAFETY: the verifier checked this call against
                        // the prototype of the wrapped function, which has
                        // this wrapper's exact signature.
                        return unsafe { orig::#name(#(#args),*) };
                    }
                    // A cancellation point: an overrun run is killed here,
                    // before it acquires anything more.  If it cannot be
                    // unwound from here the acquire goes ahead; the kill
                    // happens at the next point that can.  A run killed
                    // here still holds what a replacing call consumes.
                    let _ = #cancel();
                    #consume
                    // SAFETY: as above.
                    let ret = unsafe { orig::#name(#(#args),*) };
                    if #cond {
                        // What the entry keeps, computed outside the
                        // `unsafe` block: a table expression that needs
                        // one says so, with its own `SAFETY:` comment.
                        let (entry_addr, entry_aux) = ((#addr) as usize, (#aux) as usize);
                        // SAFETY: `run` is still the current task's
                        // innermost run: a run nested in the call unlinked
                        // itself before the call returned.
                        unsafe { #acquired(run, #acquired_kind, entry_addr, entry_aux) };
                    }
                    ret
                },
            ),
            Role::Release => (
                false,
                quote! {
                    // The entry goes first: once the resource is released
                    // its address may be reused by the next acquisition.
                    if #cond {
                        #released(#kind, (#addr) as usize);
                    }
                    // SAFETY: as for an acquire, the verifier checked this
                    // call against the wrapped function's prototype.
                    unsafe { orig::#name(#(#args),*) }
                },
            ),
            Role::Next => (
                false,
                quote! {
                    // A cancellation point.  When the run overran and cannot
                    // be unwound from here (a callback under a helper), the
                    // iterator ends: `NULL` is a result every caller of an
                    // iterator's `next` already handles.
                    if #cancel() {
                        return core::ptr::null_mut();
                    }
                    // SAFETY: as for an acquire, the verifier checked this
                    // call against the wrapped function's prototype.
                    unsafe { orig::#name(#(#args),*) }
                },
            ),
        };
        decls.push(quote! {
            #(#cfg)*
            pub(super) fn #name(#inputs) #output;
        });
        wrappers.push(quote! {
            #[doc = #doc]
            ///
            /// # Safety
            ///
            /// Only BPF programs call this, with arguments the verifier
            /// checked against the wrapped function's prototype.
            #(#attrs)*
            #[no_mangle]
            #[allow(unused_variables, clippy::unnecessary_cast)]
            pub unsafe extern "C" fn #wrapper(#inputs) #output {
                #body
            }
        });
        let cname = LitStr::new(&format!("{}\0", name), Span::call_site());
        lookups.push(quote! {
            #(#cfg)*
            if addr == orig::#name as *const c_void {
                return Some(#wrapper as *const c_void);
            }
        });
        visits.push(quote! {
            #(#cfg)*
            f(&Tracked {
                name: #cname,
                orig: orig::#name as *const c_void,
                wrapper: #wrapper as *const c_void,
                kind: #kind,
                acquire: #is_acquire,
                point: #is_point,
                consumes: #consumes,
            });
        });
    }
    let untracked_visits = untracked.iter().flat_map(|u| {
        let cfg = cfgs(&u.attrs);
        let (pending, why) = (u.pending, &u.why);
        u.names.iter().map(move |n| {
            let cname = LitStr::new(&format!("{}\0", n), Span::call_site());
            quote! {
                #(#cfg)*
                f(&Untracked { name: #cname, pending: #pending, why: #why });
            }
        })
    });

    Ok(quote! {
        /// The kinds of resource a BPF run can hold, one per `kind` line of
        /// the table.  Zero is never a kind, so a zeroed entry is free.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Kind {
            #(#kind_variants)*
        }

        impl Kind {
            /// The kind's name, as reports and tests spell it.
            pub fn name(self) -> &'static str {
                match self {
                    #(#kind_names)*
                }
            }

            /// The kind's name as a NUL-terminated C string, for the C side
            /// of reports.
            pub fn c_name(self) -> *const ::kernel::ffi::c_char {
                let name: &'static str = match self {
                    #(#kind_c_names)*
                };
                name.as_ptr().cast()
            }

            /// Decodes a kind stored in a record entry.
            pub fn from_u8(raw: u8) -> Option<Kind> {
                match raw {
                    #(#kind_from)*
                    _ => None,
                }
            }

            /// Calls `f` on every kind.
            pub fn for_each(mut f: impl FnMut(Kind)) {
                #(#kind_all)*
            }

            /// Releases a resource of this kind by calling the real release
            /// function (never a wrapper) with what the entry kept.
            ///
            /// # Safety
            ///
            /// `addr` and `aux` must come from a live record entry of this
            /// kind, held by the run on whose behalf the caller releases it,
            /// in that run's context.
            pub unsafe fn release(self, addr: usize, aux: usize) {
                match self {
                    #(#kind_release)*
                }
            }
        }

        /// The wrapped functions, declared with the prototypes the table
        /// gives them (the coverage test checks them against BTF).
        mod orig {
            #[allow(unused_imports)]
            use super::*;
            extern "C" {
                #(#decls)*
            }
        }

        #(#wrappers)*

        /// A tracked kfunc or helper and its wrapper.
        pub struct Tracked {
            /// The wrapped function's name, NUL-terminated.
            pub name: &'static str,
            /// The wrapped function.
            pub orig: *const c_void,
            /// Its wrapper.
            pub wrapper: *const c_void,
            /// The kind of resource it acquires or releases; `None` for a
            /// release of any kind (ownership that leaves for a map).
            pub kind: Option<Kind>,
            /// Whether it acquires (otherwise it releases, or is an
            /// iterator's `next`).
            pub acquire: bool,
            /// Whether its wrapper is a cancellation point (acquires and
            /// iterators' `next` are).
            pub point: bool,
            /// The kind an acquire consumes, if it also releases
            /// (`release K(a), acquire K2(b)`).
            pub consumes: Option<Kind>,
        }

        /// An acquire/release kfunc the table deliberately does not wrap.
        pub struct Untracked {
            /// The kfunc's name, NUL-terminated.
            pub name: &'static str,
            /// `true` for kfuncs not covered yet, `false` for kfuncs that hold
            /// nothing the watchdog must release.
            pub pending: bool,
            /// Why.
            pub why: &'static str,
        }

        /// The wrapper the verifier must call instead of `addr`, if `addr`
        /// is a tracked function.
        pub fn redirect(addr: *const c_void) -> Option<*const c_void> {
            #(#lookups)*
            None
        }

        /// Calls `f` on every tracked function.
        pub fn for_each_tracked(mut f: impl FnMut(&Tracked)) {
            #(#visits)*
        }

        /// Calls `f` on every function the table names as not tracked.
        pub fn for_each_untracked(mut f: impl FnMut(&Untracked)) {
            #(#untracked_visits)*
        }
    })
}

/// Entry point for `rust/macros/lib.rs`.
pub(crate) fn bpf_watchdog_resources(input: TokenStream) -> TokenStream {
    syn::parse2::<Table>(input)
        .and_then(expand)
        .unwrap_or_else(|e| e.into_compile_error())
}
