//! Aura's AI vocabulary as data: the 66 execution programs (11 groups of 6),
//! the 188 knowledge tiers (13 foundation tiers, 13 domains of 13, 6
//! self-healing tiers), the 10 conversation types and the module registry.
//!
//! Everything lives in TOML files under `data/`, compiled into the binary with
//! `include_str!` and parsed once. Adding a program, tier or module touches one
//! file; `validate` (run by the tests) checks that codes are unique, numbers are
//! complete, references resolve and templates declare their placeholders.

mod model;
mod validate;

use std::sync::OnceLock;

pub use model::*;
pub use validate::{template_placeholders, validate, KNOWN_LANGUAGES, KNOWN_PLACEHOLDERS, KNOWN_SIGNALS};

/// A data file that failed to parse (a bug in the shipped data, caught by tests).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    pub file: &'static str,
    pub message: String,
}

macro_rules! data_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../data/", $path)))),*]
    };
}

const PROGRAM_FILES: &[(&str, &str)] = data_files![
    "programs/01-code-generation.toml",
    "programs/02-debugging.toml",
    "programs/03-architecture.toml",
    "programs/04-testing.toml",
    "programs/05-optimization.toml",
    "programs/06-documentation.toml",
    "programs/07-explanation.toml",
    "programs/08-analysis.toml",
    "programs/09-database.toml",
    "programs/10-ai-ml.toml",
    "programs/11-self-healing.toml",
];

const TIER_FILES: &[(&str, &str)] = data_files![
    "tiers/00-foundation.toml",
    "tiers/01-web-development.toml",
    "tiers/02-mobile-development.toml",
    "tiers/03-machine-learning.toml",
    "tiers/04-cloud-devops.toml",
    "tiers/05-database-systems.toml",
    "tiers/06-security-compliance.toml",
    "tiers/07-system-design.toml",
    "tiers/08-testing-qa.toml",
    "tiers/09-devops-cicd.toml",
    "tiers/10-frontend-architecture.toml",
    "tiers/11-backend-architecture.toml",
    "tiers/12-data-engineering.toml",
    "tiers/13-devex-tooling.toml",
    "tiers/14-self-healing.toml",
];

const MODULE_FILES: &[(&str, &str)] = data_files![
    "modules/languages.toml",
    "modules/python.toml",
    "modules/javascript.toml",
    "modules/jvm-dotnet.toml",
    "modules/go-rust-ruby-php.toml",
    "modules/infrastructure.toml",
];

const CONVERSATIONS: (&str, &str) = ("conversations.toml", include_str!("../data/conversations.toml"));

/// The whole catalog, parsed.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub groups: Vec<ProgramGroup>,
    pub programs: Vec<Program>,
    pub domains: Vec<Domain>,
    pub tiers: Vec<Tier>,
    pub conversations: Vec<ConversationType>,
    pub modules: Vec<Module>,
}

impl Catalog {
    /// The catalog compiled into this binary. Panics only if the shipped data
    /// does not parse, which the crate's tests rule out.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::load().unwrap_or_else(|e| panic!("built-in catalog: {e}")))
    }

    /// Parses the data files; sorted by number so lookups by number are direct.
    pub fn load() -> Result<Catalog, LoadError> {
        let mut catalog = Catalog {
            groups: Vec::new(),
            programs: Vec::new(),
            domains: Vec::new(),
            tiers: Vec::new(),
            conversations: Vec::new(),
            modules: Vec::new(),
        };
        for (file, text) in PROGRAM_FILES {
            let parsed: ProgramFile = parse(file, text)?;
            for mut program in parsed.program {
                program.group = parsed.group.code.clone();
                catalog.programs.push(program);
            }
            catalog.groups.push(parsed.group);
        }
        for (file, text) in TIER_FILES {
            let parsed: TierFile = parse(file, text)?;
            for mut tier in parsed.tier {
                tier.domain = parsed.domain.code.clone();
                catalog.tiers.push(tier);
            }
            catalog.domains.push(parsed.domain);
        }
        for (file, text) in MODULE_FILES {
            let parsed: ModuleFile = parse(file, text)?;
            catalog.modules.extend(parsed.module);
        }
        let (file, text) = CONVERSATIONS;
        catalog.conversations = parse::<ConversationFile>(file, text)?.conversation;
        catalog.programs.sort_by_key(|p| p.number);
        catalog.tiers.sort_by_key(|t| t.number);
        Ok(catalog)
    }

    /// A program by code (`unit-tests`) or number (`19`, `P19`).
    pub fn program(&self, code_or_number: &str) -> Option<&Program> {
        match code_or_number.trim_start_matches('P').parse::<u16>() {
            Ok(n) => self.program_number(n),
            Err(_) => self.programs.iter().find(|p| p.code == code_or_number),
        }
    }

    pub fn program_number(&self, number: u16) -> Option<&Program> {
        self.programs.iter().find(|p| p.number == number)
    }

    /// A tier by code (`logical-deduction`) or number (`1`, `T1`).
    pub fn tier(&self, code_or_number: &str) -> Option<&Tier> {
        match code_or_number.trim_start_matches('T').parse::<u16>() {
            Ok(n) => self.tier_number(n),
            Err(_) => self.tiers.iter().find(|t| t.code == code_or_number),
        }
    }

    pub fn tier_number(&self, number: u16) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.number == number)
    }

    pub fn domain(&self, code: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&ProgramGroup> {
        self.groups.iter().find(|g| g.code == code)
    }

    pub fn module(&self, code: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.code == code)
    }

    pub fn conversation(&self, code: &str) -> Option<&ConversationType> {
        self.conversations.iter().find(|c| c.code == code)
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, LoadError> {
    toml::from_str(text).map_err(|e| LoadError { file, message: e.to_string() })
}

#[cfg(test)]
mod tests;
