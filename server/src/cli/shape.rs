//! `aura shape` (clusters, outliers, cycles and the H0 barcode of a tree,
//! as text, JSON or an SVG picture) and `aura similar` (the functions
//! nearest in meaning to one function). Both embed only what the
//! workspace's cache (`.aura/cache/embeddings.bin`) lacks.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aura_embed::Embedder;
use aura_ide::check::CheckOptions;
use aura_shape::ShapeReport;

use super::dispatch::fail;
use super::{OutputFormat, ShapeArgs, ShapeFormat, SimilarArgs};
use crate::settings;

/// What `aura shape` and `aura similar` read from the configuration.
struct Setup {
    options: CheckOptions,
    cut: f32,
    git: aura_config::GitConfig,
    embedder: Embedder,
}

fn setup(root: &Path, model: Option<&Path>) -> Result<Setup, String> {
    let config = settings::resolve_with(root, Vec::new()).map_err(|e| e.to_string())?.config;
    let options = CheckOptions {
        max_file_size: config.files.max_size,
        exclude: config.files.exclude.clone(),
        ..CheckOptions::default()
    };
    let embedder = model.map_or_else(Embedder::load_default, Embedder::load).map_err(|e| e.to_string())?;
    Ok(Setup { options, cut: config.rules.thresholds.near_copy_distance as f32, git: config.git, embedder })
}

/// Prints "embedding N/M" on stderr when it is a terminal.
fn progress() -> impl FnMut(usize, usize) -> bool {
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if tty {
            eprint!("\rembedding {done}/{total} functions");
            if done == total {
                eprintln!();
            }
        }
        true
    }
}

pub fn shape(args: ShapeArgs) -> ExitCode {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return fail(&format!("{} is not a directory", root.display()));
    }
    let Setup { options, cut, git, embedder } = match setup(&root, args.model.as_deref()) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let cut = args.cut.unwrap_or(cut);
    if !(0.0..=2.0).contains(&cut) {
        return fail("--cut is a cosine distance, between 0 and 2");
    }
    let mut report = match aura_ide::shape::report(&root, &options, cut, &embedder, progress()) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if git.enable {
        if let Ok(repo) = aura_git::Repo::discover(&root) {
            let window = super::git::window(&git, None, None);
            if let Err(e) = aura_ide::git::divergent::add_divergent(&mut report, &repo, &root, window) {
                eprintln!("note: divergent clones not checked: {e}");
            }
        }
    }
    match args.format {
        ShapeFormat::Json => match serde_json::to_string(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return fail(&e.to_string()),
        },
        ShapeFormat::Text => print!("{}", text(&report)),
        ShapeFormat::Svg => match svg(&report) {
            Ok(svg) => println!("{svg}"),
            Err(e) => return fail(&format!("cannot draw: {e}")),
        },
    }
    ExitCode::SUCCESS
}

pub(crate) fn text(r: &ShapeReport) -> String {
    let mut out = format!(
        "{} functions in {} files; {} near-copy clusters (cosine distance ≤ {}), {} outliers, {} import cycles\n",
        r.embedded,
        r.files,
        r.clusters.len(),
        r.cut,
        r.outliers.len(),
        r.cycles.len()
    );
    if !r.clusters.is_empty() {
        out.push_str("\nNear-copy clusters\n");
        for c in &r.clusters {
            let how = if c.token_clone { ", with an exact token clone" } else { "" };
            out.push_str(&format!(
                "  {} functions, similarity ≥ {:.3}{how}\n",
                c.members.len(),
                c.similarity
            ));
            for m in &c.members {
                let f = &m.function;
                out.push_str(&format!("    {}:{} {}\n", f.file, f.start_line, f.name));
            }
        }
    }
    if !r.divergent.is_empty() {
        out.push_str("\nNear-copies a fix left behind\n");
        for d in &r.divergent {
            let (stale, fixed) = (&d.stale, &d.fixed);
            out.push_str(&format!(
                "  {}:{} {}  missed {} \"{}\" made to {}:{} {}\n",
                stale.file,
                stale.start_line,
                stale.name,
                d.commit,
                d.summary,
                fixed.file,
                fixed.start_line,
                fixed.name
            ));
        }
    }
    if !r.outliers.is_empty() {
        out.push_str(&format!(
            "\nOutliers (nearest neighbour farther than mean {:.3} + 2σ {:.3})\n",
            r.nearest_mean,
            2.0 * r.nearest_std
        ));
        for o in &r.outliers {
            let (f, n) = (&o.function, &o.nearest);
            out.push_str(&format!(
                "  {}:{} {}  distance {:.3} to {}:{} {}\n",
                f.file, f.start_line, f.name, o.distance, n.file, n.start_line, n.name
            ));
        }
    }
    if !r.cycles.is_empty() {
        out.push_str("\nImport cycles\n");
        for c in &r.cycles {
            out.push_str(&format!("  {} files: {}\n", c.len(), c.join(", ")));
        }
    }
    if let (Some(first), Some(last)) = (r.h0.first(), r.h0.last()) {
        let q = |p: f32| r.h0[((r.h0.len() - 1) as f32 * p).round() as usize];
        out.push_str(&format!(
            "\nH0 barcode: {} finite bars; deaths min {first:.3}, median {:.3}, 90% {:.3}, max {last:.3}\n",
            r.h0.len(),
            q(0.5),
            q(0.9)
        ));
    }
    out
}

/// Two panels drawn with plotters: the H0 barcode (one bar per class,
/// longest on top, the near-copy cut as a red line) and the persistence
/// diagram (birth against death, the diagonal and the cut).
pub(crate) fn svg(r: &ShapeReport) -> Result<String, String> {
    use plotters::prelude::*;
    let e = |e: DrawingAreaErrorKind<_>| e.to_string();
    let bars: Vec<f32> = r.h0.iter().rev().copied().collect();
    let top = bars.first().copied().unwrap_or(1.0).max(r.cut) * 1.05;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(e)?;
        let root = root
            .titled(
                &format!(
                    "Code shape: {} functions, {} near-copy clusters, {} outliers, {} import cycles",
                    r.embedded,
                    r.clusters.len(),
                    r.outliers.len(),
                    r.cycles.len()
                ),
                ("sans-serif", 20),
            )
            .map_err(e)?;
        let (left, right) = root.split_horizontally(600);
        let n = bars.len().max(1);
        let mut barcode = ChartBuilder::on(&left)
            .caption("H0 barcode (cosine distance at which each function joins)", ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0f32..top, 0usize..n)
            .map_err(|e| e.to_string())?;
        barcode
            .configure_mesh()
            .disable_y_mesh()
            .y_desc("classes, longest first")
            .x_desc("death")
            .draw()
            .map_err(|e| e.to_string())?;
        barcode
            .draw_series(bars.iter().enumerate().map(|(i, &d)| {
                let row = n - 1 - i;
                Rectangle::new([(0f32, row), (d, row + 1)], RGBColor(52, 101, 164).filled())
            }))
            .map_err(|e| e.to_string())?;
        barcode
            .draw_series(std::iter::once(PathElement::new(vec![(r.cut, 0), (r.cut, n)], RED.stroke_width(2))))
            .map_err(|e| e.to_string())?
            .label(format!("near-copy cut {}", r.cut))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED.stroke_width(2)));
        barcode
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .draw()
            .map_err(|e| e.to_string())?;

        let mut diagram = ChartBuilder::on(&right)
            .caption("H0 persistence diagram", ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0f32..top, 0f32..top)
            .map_err(|e| e.to_string())?;
        diagram.configure_mesh().x_desc("birth").y_desc("death").draw().map_err(|e| e.to_string())?;
        diagram
            .draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (top, top)], BLACK.mix(0.4))))
            .map_err(|e| e.to_string())?;
        diagram
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, r.cut), (top, r.cut)],
                RED.stroke_width(2),
            )))
            .map_err(|e| e.to_string())?;
        diagram
            .draw_series(
                r.h0.iter().map(|&d| Circle::new((0.0, d), 3, RGBColor(52, 101, 164).mix(0.5).filled())),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(e)?;
    }
    Ok(svg)
}

pub fn similar(args: SimilarArgs) -> ExitCode {
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let Setup { options, embedder, .. } = match setup(&root, args.model.as_deref()) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let (Ok(file), Ok(root_abs)) = (args.file.canonicalize(), root.canonicalize()) else {
        return fail(&format!("cannot find {}", args.file.display()));
    };
    let Ok(rel) = file.strip_prefix(&root_abs) else {
        return fail(&format!("{} is outside {}", args.file.display(), root.display()));
    };
    let rel = aura_ide::shape::relative(Path::new(""), rel);
    let scan = match aura_ide::shape::scan(&root, &options) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let mut index = scan.index(aura_ide::shape::workspace_cache(&root));
    let Some(target) = index.function_at(&rel, args.line) else {
        return fail(&format!("no function of three lines or more at {}:{}", rel, args.line));
    };
    let (name, start) = (target.chunk.name.clone(), target.chunk.start_line);
    if let Err(e) = index.embed_pending(&embedder, 64, progress()) {
        return fail(&e.to_string());
    }
    if let Err(e) = index.save_cache() {
        tracing::warn!("cannot write the embedding cache: {e}");
    }
    let Some((_, hits)) = index.similar(&rel, args.line, args.top) else {
        return fail(&format!("{rel}:{start} {name} could not be embedded"));
    };
    match args.format {
        OutputFormat::Json => {
            let json = serde_json::json!({
                "function": {"file": rel, "name": name, "start_line": start},
                "similar": hits,
            });
            println!("{json}");
        }
        OutputFormat::Text => {
            println!("Most similar to {rel}:{start} {name}:");
            for h in hits {
                println!("  {:.3}  {}:{} {}", h.similarity, h.file, h.start_line, h.name);
            }
        }
    }
    ExitCode::SUCCESS
}
