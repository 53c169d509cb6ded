"""The glossary hook links each term's first use in running text, and nothing else."""

from __future__ import annotations

import importlib.util
import re

import pytest


@pytest.fixture(scope="module")
def hook(root):
    spec = importlib.util.spec_from_file_location("glossary_hook", root / "docs/hooks/glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GLOSSARY = """# Glossary

## Kernel {#kernel}
<!-- also: kernels -->
A function that runs on the GPU, once per thread.
It is launched from the CPU.

## cuDNN
NVIDIA's library of deep-learning kernels.
"""


def test_terms_ids_forms_and_first_sentence(hook):
    terms = hook.parse(GLOSSARY)
    assert [t["id"] for t in terms] == ["kernel", "cudnn"]
    assert terms[0]["forms"] == ["Kernel", "kernels"]
    assert terms[0]["definition"] == "A function that runs on the GPU, once per thread."


def test_first_use_in_running_text_is_linked_once(hook):
    html = (
        "<h2>Kernels</h2><pre><code>kernel = 1</code></pre>"
        "<p>A <a href='x'>kernel</a> link stays. Many kernels run; each kernel is small.</p>"
        "<p>cuDNN helps; so does cudnn_thing.</p>"
    )
    out = hook.link_terms(html, hook.parse(GLOSSARY), "../glossary/")
    links = re.findall(r'<a class="glossary-term" href="([^"]+)"[^>]*>([^<]+)</a>', out)
    assert links == [("../glossary/#kernel", "kernels"), ("../glossary/#cudnn", "cuDNN")]
    assert "<h2>Kernels</h2>" in out and "<code>kernel = 1</code>" in out


def test_lowercase_term_matches_at_sentence_start_but_acronyms_are_exact(hook):
    terms = hook.parse("## warp\nA group of 32 threads.\n\n## GPU\nA processor.\n")
    out = hook.link_terms("<p>Warp size. gpu is not GPU.</p>", terms, "g/")
    assert ">Warp</a>" in out
    assert ">GPU</a>" in out and ">gpu</a>" not in out


def test_every_concept_page_links_the_glossary_and_every_link_resolves(root, built_site):
    glossary = (built_site / "reference" / "glossary" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'<h2 id="([^"]+)"', glossary))
    assert len(ids) >= 20, "the glossary defines the terms the pages use"
    for page in sorted((built_site / "concepts").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        link = r'class="glossary-term" href="../../reference/glossary/#([^"]+)"'
        anchors = re.findall(link, html)
        assert anchors, f"{page.parent.name}: no glossary link"
        assert set(anchors) <= ids, f"{page.parent.name}: links to undefined terms"
        assert len(anchors) == len(set(anchors)), f"{page.parent.name}: a term linked twice"
