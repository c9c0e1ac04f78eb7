import subprocess
import sys

import numpy as np

from everydesk.listening.scoring import EMBEDDING_DIM, embed_texts, score_texts


def test_embeddings_are_unit_rows_of_the_stated_size():
    vectors = embed_texts(["Where is my parcel?", "Thanks for the quick refund."])
    assert vectors.shape == (2, EMBEDDING_DIM)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_meanings_are_closer_than_unrelated_texts():
    anchor, same, other = embed_texts(
        [
            "My package has not arrived yet.",
            "The parcel I ordered still hasn't been delivered.",
            "How do I change the password of my account?",
        ]
    )
    assert anchor @ same > anchor @ other + 0.1


def test_the_scores_carry_the_same_embedding_as_embed_texts():
    text = "The charger stopped working after a week."
    assert np.array_equal(score_texts([text])[0].embedding, embed_texts([text])[0])


def test_an_empty_batch_gives_an_empty_matrix():
    assert embed_texts([]).shape == (0, EMBEDDING_DIM)
    assert score_texts([]) == []


def test_text_without_any_word_embeds_as_zero():
    assert not embed_texts([""])[0].any()


def test_importing_the_package_loads_no_model_and_no_numpy():
    code = (
        "import sys, everydesk.listening.scoring as s; "
        "print(sorted(m for m in ('numpy', 'model2vec', 'py3langid') if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_committed_weights_carry_the_model_version_and_dimension():
    import json
    from pathlib import Path

    from everydesk.listening import scoring

    weights = Path(scoring.__file__).parent / "weights"
    manifest = json.loads((weights / "manifest.json").read_text())
    assert manifest["version"] == scoring.MODEL_VERSION
    assert manifest["embedding"]["dimensions"] == scoring.EMBEDDING_DIM
    total = sum(path.stat().st_size for path in weights.rglob("*") if path.is_file())
    assert total < 20_000_000
