"""Text mode's page type and the scorer it routes to (`copydesk.text.pagetype`, `segment.route`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import copydesk
from copydesk.text import pagetype
from copydesk.text.columns import LINE_FEATURES
from copydesk.text.features import line_matrix
from copydesk.text.lines import split_lines
from copydesk.text.scorer import shipped, web
from copydesk.text.segment import route

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_243ae2b9009f719b.txt"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
PRODUCT = CORPORA / "wcxb" / "html" / "0599.html.gz"  # a WCXB product page (gold type product)
MENU = ["Home", "News", "Sport", "Weather", "Contact us", "Privacy policy"]


def _x(lines: list[str]) -> np.ndarray:
    return line_matrix(split_lines("\n".join(lines)))


def test_page_features_have_the_declared_layout() -> None:
    x = _x([*MENU, "A sentence that is long enough to read as prose, with a verb in it.", *MENU])
    features = pagetype.page_features(x, shipped().logits(x))
    assert features.shape == (len(pagetype.PAGE_FEATURES),)
    assert np.isfinite(features).all()
    assert (pagetype.page_features(x[:0], np.zeros(0)) == 0).all()


def test_weights_for_another_layout_are_refused() -> None:
    model = pagetype.shipped()
    assert model is not None
    data = model.to_json()
    data["names"] = data["names"][:-1]
    with pytest.raises(ValueError, match="page-type weights"):
        pagetype.PageTypeModel.from_json(data)


def test_no_sentence_keeps_the_article_scorer() -> None:
    x = np.zeros((3, len(LINE_FEATURES)))
    assert not pagetype.use_web(0.0, x, 0.3)  # an index: nothing reads as a sentence
    x[1, LINE_FEATURES.index("long_prose")] = 1.0
    assert pagetype.use_web(0.0, x, 0.3)
    assert not pagetype.use_web(0.9, x, 0.3)  # reads as an article


def test_the_web_share_switches_softly_at_the_route() -> None:
    x = np.zeros((3, len(LINE_FEATURES)))
    assert pagetype.web_share(0.1, x, 0.5, 8.0) == 0.0  # no sentence: the article scorer
    x[1, LINE_FEATURES.index("long_prose")] = 1.0
    assert pagetype.web_share(0.5, x, 0.5, 8.0) == pytest.approx(0.5)
    shares = [pagetype.web_share(p, x, 0.5, 8.0) for p in (0.05, 0.3, 0.5, 0.7, 0.95)]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] > 0.99 and shares[-1] < 0.01


def test_the_web_threshold_follows_the_page_type() -> None:
    model = pagetype.shipped()
    assert model is not None and model.web_thresholds is not None
    assert len(model.web_thresholds) == len(model.types)
    for j in range(len(model.types)):
        one_hot = np.eye(len(model.types))[j]
        assert model.web_threshold(one_hot, 0.5) == pytest.approx(model.web_thresholds[j])


def test_a_blended_route_mixes_probabilities_and_thresholds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = pagetype.shipped()
    assert model is not None
    monkeypatch.setattr(pagetype.PageTypeModel, "web_share", lambda self, p, x: 0.25)
    x = _x([*MENU, "A sentence that is long enough to read as prose, with a verb in it, "
            "and a clause after it so it passes fifteen words.", *MENU])
    logits = shipped().logits(x)
    routed = route(x, logits, shipped())
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    assert np.allclose(sig(routed.logits), 0.25 * sig(web().logits(x)) + 0.75 * sig(logits))
    p = model.probabilities(pagetype.page_features(x, logits))
    assert routed.threshold == round(0.25 * model.web_threshold(p, 0.5) + 0.75 * 0.5, 2)


@pytest.mark.skipif(not PRODUCT.exists(), reason=f"WCXB page not found at {PRODUCT}")
def test_a_product_dump_is_read_by_the_web_scorer() -> None:
    import gzip
    import json

    from copydesk_lab.bench.devset import _flattener
    from copydesk_lab.bench.wordf1 import score_words

    dump = _flattener("html-text")(gzip.decompress(PRODUCT.read_bytes()).decode("utf-8"))
    gold = json.loads((CORPORA / "wcxb" / "ground-truth" / "0599.json").read_text("utf-8"))
    x = _x(dump.splitlines())
    routed = route(x, shipped().logits(x), shipped())
    assert routed.page_type == "product"
    assert routed.web_share > 0.99  # the web scorer's lines alone
    assert np.allclose(routed.logits, web().logits(x))
    article = copydesk.extract(dump, input_format="text")
    assert article.page_type == "product"
    body = gold["ground_truth"]["main_content"]
    assert score_words(article.text, body).f1 >= 0.8  # the article scorer alone: 0.12


def test_an_index_dump_has_a_type_but_no_body() -> None:
    headlines = [f"Council approves budget for harbour district {i}" for i in range(30)]
    article = copydesk.extract("\n".join(MENU + headlines + MENU), input_format="text")
    assert article.status == "empty"
    assert article.page_type != "article"  # the caller can tell an index from an article


@pytest.mark.skipif(not SEED.exists(), reason=f"seed dump not found at {SEED}")
def test_a_news_dump_reads_as_an_article() -> None:
    article = copydesk.extract(SEED.read_text(encoding="utf-8"), input_format="text")
    assert article.page_type == "article"


def test_compiled_page_statistics_match_numpy() -> None:
    x = _x([*MENU, "A sentence that is long enough to read as prose, with a verb in it, "
            "and a clause after it so it passes fifteen words.", "Short line", *MENU])
    logits = shipped().logits(x)
    got = pagetype.page_features(x, logits)
    col = LINE_FEATURES.index
    words = np.maximum(np.expm1(x[:, col("log_words")]), 1.0)
    prob = 1.0 / (1.0 + np.exp(-logits))
    kept = prob >= 0.5
    assert np.allclose(got[:26], x[:, [col(n) for n in pagetype._MEANS]].mean(axis=0))
    assert got[26] == pytest.approx(np.log1p(len(x)))
    assert got[28] == pytest.approx(words[x[:, col("long_prose")] > 0].sum() / words.sum())
    assert got[31] == pytest.approx(words[kept].sum() / words.sum())
    assert got[35] == pytest.approx(prob.mean())
