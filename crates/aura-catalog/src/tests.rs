use super::*;

#[test]
fn builtin_data_parses_and_is_consistent() {
    let catalog = Catalog::load().expect("data files parse");
    let errors = validate(&catalog);
    assert!(errors.is_empty(), "catalog problems:\n{}", errors.join("\n"));
}

#[test]
fn program_names_follow_the_source_document() {
    // The source document lists the groups as "1-6: Code Generation (Python,
    // JS, Go, Rust, C#, Multi-Language)" and so on; spot-check each group's
    // first and last program against it.
    let c = Catalog::builtin();
    let expect = [
        (1, "Python"),
        (6, "Multi-Language"),
        (7, "Syntax"),
        (12, "Integration"),
        (13, "System Design"),
        (18, "Cloud"),
        (19, "Unit Test"),
        (24, "CI/CD"),
        (25, "Performance"),
        (30, "Scaling"),
        (31, "Code Documentation"),
        (36, "Compliance"),
        (37, "Concept"),
        (42, "Trends"),
        (43, "Code Review"),
        (48, "Profiling"),
        (49, "Schema"),
        (54, "Migration"),
        (55, "Model Integration"),
        (60, "Evaluation"),
        (61, "Error Detection"),
        (66, "Rollback"),
    ];
    for (number, fragment) in expect {
        let p = c.program(&number.to_string()).unwrap();
        assert!(
            p.name.contains(fragment),
            "program {number} is `{}`, expected it to mention {fragment}",
            p.name
        );
    }
}

#[test]
fn tier_domains_match_the_source_document() {
    let c = Catalog::builtin();
    let ranges = [
        ("foundation", 1, 13),
        ("web-development", 14, 26),
        ("mobile-development", 27, 39),
        ("machine-learning", 40, 52),
        ("cloud-devops", 53, 65),
        ("database-systems", 66, 78),
        ("security-compliance", 79, 91),
        ("system-design", 92, 104),
        ("testing-qa", 105, 117),
        ("devops-cicd", 118, 130),
        ("frontend-architecture", 131, 143),
        ("backend-architecture", 144, 156),
        ("data-engineering", 157, 169),
        ("devex-tooling", 170, 182),
        ("self-healing", 183, 188),
    ];
    for (domain, first, last) in ranges {
        for n in first..=last {
            assert_eq!(c.tier(&n.to_string()).unwrap().domain, domain, "tier {n}");
        }
    }
}

#[test]
fn lookups_accept_codes_and_numbers() {
    let c = Catalog::builtin();
    assert_eq!(c.program("unit-tests").unwrap().number, 19);
    assert_eq!(c.program("P19").unwrap().code, "unit-tests");
    assert_eq!(c.tier("T1").unwrap().code, "logical-deduction");
    assert!(c.program("nope").is_none());
    assert!(c.module("django").is_some());
    assert!(c.modules.len() >= 60, "the registry needs at least 60 modules");
}

#[test]
fn validation_catches_broken_data() {
    let mut c = Catalog::load().unwrap();
    c.programs[0].template.push_str(" {{undeclared}}");
    c.programs[1].foundation = vec!["web-caching-strategies".into()];
    c.programs[2].code = c.programs[3].code.clone();
    c.tiers[20].guidance.truncate(1);
    c.modules[0].depends.push("no-such-module".into());
    let errors = validate(&c).join("\n");
    assert!(errors.contains("undeclared placeholder `{{undeclared}}`"), "{errors}");
    assert!(errors.contains("is not a foundation tier"), "{errors}");
    assert!(errors.contains("duplicate program code"), "{errors}");
    assert!(errors.contains("1 guidance points"), "{errors}");
    assert!(errors.contains("unknown module `no-such-module`"), "{errors}");
}

#[test]
fn placeholders_are_found_in_templates() {
    let found = validate::template_placeholders("a {{x}} b {{ y }} {{x}} {{unterminated");
    assert_eq!(found.into_iter().collect::<Vec<_>>(), vec!["x".to_owned(), "y".to_owned()]);
}
