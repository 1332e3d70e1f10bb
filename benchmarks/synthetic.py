"""A synthetic repository to measure on, built deterministically from a seed.

Three kinds of files, in the proportions of a research monorepo that is mostly modern code with a
legacy corner:

* the corpus's legacy models (``corpus/*/legacy``), copied once with their package layout;
* generated legacy-style modules: a model class, a training step and an evaluation loop in the
  PyTorch 0.3 idiom, each drawing a different subset of the legacy idioms, layer sizes and names
  from the seed, so no two are copies of each other;
* modern files that need no change: copies of the installed ``torch/nn`` sources.

The same seed and size give byte-identical trees, so two machines (or two runs) measure the same
thing.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT / "corpus"

# The share of generated legacy modules; the rest (after the corpus) is modern code.
LEGACY_SHARE = 0.25


@dataclass(frozen=True)
class Tree:
    root: Path
    files: Tuple[Path, ...]
    legacy_files: int  # corpus + generated
    modern_files: int
    lines: int
    bytes: int


def corpus_files() -> List[Path]:
    return sorted(p for p in CORPUS.glob("*/legacy/**/*.py") if p.is_file())


def torch_nn_files() -> Tuple[Path, List[Path]]:
    """The installed torch/nn directory and its sources, found without importing torch."""
    import importlib.util

    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        raise SystemExit("torch is not installed in this environment: the modern half of the tree copies torch/nn")
    nn = Path(spec.origin).parent / "nn"
    return nn, sorted(p for p in nn.rglob("*.py") if p.is_file())


# -- generated legacy modules ---------------------------------------------------------------

_HEADERS = (
    "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch.autograd import Variable\n",
    "import torch\nfrom torch import nn\nfrom torch.nn import functional as F\nfrom torch.autograd import Variable\n",
    "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport torch.autograd as autograd\n",
)

# Statements for __init__ (after the layers); {h} is the hidden size.
_INIT_IDIOMS = (
    "        self.scale = torch.ones(1, {h}) * {k}\n",
    "        self.mask = torch.zeros({h}).cuda()\n",
    "        self.bias_extra = torch.zeros({h}, requires_grad=True)\n",
    "        self.offsets = torch.FloatTensor({h}).fill_(0.{k})\n",
    "        nn.init.xavier_uniform(self.fc1.weight)\n",
    "        self.grid = torch.arange(0, {h}).float()\n",
)

# Statements for forward(self, x); each keeps `x` a (batch, h) tensor.
_FORWARD_IDIOMS = (
    "        x = F.sigmoid(x) * {k}\n",
    "        x = F.tanh(x)\n",
    "        noise = Variable(torch.randn(x.size()).cuda())\n        x = x + 0.{k} * noise\n",
    "        x = x + Variable(torch.FloatTensor(x.size(0), {h}).zero_())\n",
    "        x = F.softmax(x)\n",
    "        x = F.upsample(x.unsqueeze(1), scale_factor=1).squeeze(1)\n",
    "        if x.data[0, 0] > {k}:\n            x = x * 2\n",
)

_TRAIN_IDIOMS = (
    "    criterion = nn.CrossEntropyLoss(size_average=False)\n",
    "    criterion = nn.MSELoss(reduce=True)\n",
    "    criterion = nn.NLLLoss()\n",
)

_MODERN_TAIL = '''

def describe_{name}(model):
    """Counts parameters (modern code that needs no change)."""
    total = 0
    for parameter in model.parameters():
        total += parameter.numel()
    return {{"name": "{name}", "parameters": total}}
'''


def legacy_module(index: int, rng: random.Random) -> str:
    name = f"Net{index}"
    hidden = rng.choice((16, 32, 64, 128, 256))
    k = rng.randint(1, 9)
    layers = rng.randint(2, 5)
    header = rng.choice(_HEADERS)
    variable = "autograd.Variable" if "autograd as autograd" in header else "Variable"

    lines = [f"# Generated legacy module {index} (PyTorch 0.3 idiom)\n", header, "\n\n"]
    lines.append(f"class {name}(nn.Module):\n")
    lines.append(f"    def __init__(self, classes={rng.randint(2, 20)}):\n")
    lines.append(f"        super({name}, self).__init__()\n")
    for layer in range(1, layers + 1):
        lines.append(f"        self.fc{layer} = nn.Linear({hidden}, {hidden})\n")
    lines.append(f"        self.out = nn.Linear({hidden}, classes)\n")
    for idiom in rng.sample(_INIT_IDIOMS, rng.randint(1, 3)):
        lines.append(idiom.format(h=hidden, k=k))
    lines.append("\n    def forward(self, x):\n")
    for layer in range(1, layers + 1):
        lines.append(f"        x = F.relu(self.fc{layer}(x))\n")
    for idiom in rng.sample(_FORWARD_IDIOMS, rng.randint(1, 3)):
        lines.append(idiom.format(h=hidden, k=k).replace("Variable(", f"{variable}("))
    lines.append("        return self.out(x)\n\n\n")

    lines.append(f"def train_{name.lower()}(model, loader, optimizer):\n")
    lines.append(rng.choice(_TRAIN_IDIOMS))
    lines.append("    model.train()\n    total = 0\n")
    lines.append("    for data, target in loader:\n")
    lines.append(f"        data, target = {variable}(data.cuda(async=True)), {variable}(target.cuda())\n")
    lines.append("        optimizer.zero_grad()\n        loss = criterion(model(data), target)\n")
    lines.append("        loss.backward()\n")
    if rng.random() < 0.5:
        lines.append(f"        torch.nn.utils.clip_grad_norm(model.parameters(), {k}.0)\n")
    lines.append("        optimizer.step()\n        total += loss.data[0]\n    return total\n\n\n")

    lines.append(f"def evaluate_{name.lower()}(model, loader):\n")
    lines.append("    model.eval()\n    correct = 0\n")
    lines.append("    for data, target in loader:\n")
    lines.append(f"        data = {variable}(data, volatile=True)\n")
    lines.append("        pred = model(data).data.max(1)[1]\n")
    lines.append("        correct += pred.eq(target).sum()\n")
    lines.append("    return correct\n")
    if rng.random() < 0.5:
        lines.append(_MODERN_TAIL.format(name=name.lower()))
    return "".join(lines)


# -- the tree --------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build(root: Path, size: int, seed: int = 0) -> Tree:
    """Create (replacing) the tree of about ``size`` files under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    written: List[Path] = []

    def add(relative: str, data: bytes) -> None:
        path = root / relative
        _write(path, data)
        written.append(path)

    corpus = corpus_files()
    for path in corpus:
        add("legacy/corpus/" + path.relative_to(CORPUS).as_posix(), path.read_bytes())

    rng = random.Random(seed)
    generated = max(0, round(size * LEGACY_SHARE) - len(corpus))
    for index in range(generated):
        # 50 modules per package, as a real repository spreads them.
        add(f"legacy/pkg{index // 50:03d}/model_{index:05d}.py", legacy_module(index, rng).encode())

    nn_root, modern_sources = torch_nn_files()
    modern = max(0, size - len(written))
    for index in range(modern):
        source = modern_sources[index % len(modern_sources)]
        copy = index // len(modern_sources)
        add(f"modern/nn{copy:03d}/{source.relative_to(nn_root).as_posix()}", source.read_bytes())

    legacy_count = len(corpus) + generated
    data = [p.read_bytes() for p in written]
    return Tree(
        root=root,
        files=tuple(written),
        legacy_files=legacy_count,
        modern_files=modern,
        lines=sum(d.count(b"\n") for d in data),
        bytes=sum(len(d) for d in data),
    )


# Generated legacy modules in the legacy-heavy tree (beside corpus/real/).
LEGACY_TREE_MODULES = 100


def real_files() -> List[Path]:
    """The real 2017-18 legacy files of ``corpus/real/*/legacy``."""
    return sorted(p for p in (CORPUS / "real").glob("*/legacy/**/*.py") if p.is_file())


def build_legacy(root: Path, generated: int = LEGACY_TREE_MODULES, seed: int = 0) -> Tree:
    """The legacy-heavy tree: ``corpus/real/`` (each repository at its own place) and ``generated``
    legacy modules, no modern filler: what a user of torchup runs it on, nearly every file needing
    work."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    written: List[Path] = []
    for path in real_files():
        target = root / "real" / path.relative_to(CORPUS / "real")
        _write(target, path.read_bytes())
        written.append(target)
    rng = random.Random(seed)
    for index in range(generated):
        target = root / f"generated/pkg{index // 50:03d}/model_{index:05d}.py"
        _write(target, legacy_module(index, rng).encode())
        written.append(target)
    data = [p.read_bytes() for p in written]
    return Tree(
        root=root,
        files=tuple(written),
        legacy_files=len(written),
        modern_files=0,
        lines=sum(d.count(b"\n") for d in data),
        bytes=sum(len(d) for d in data),
    )


def count_lines(paths: Sequence[Path]) -> int:
    return sum(p.read_bytes().count(b"\n") for p in paths)


def copy_tree(tree: Tree, destination: Path) -> Tree:
    """A copy to rewrite in place (``torchup fix`` must not change the measured tree)."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(tree.root, destination)
    files = tuple(destination / p.relative_to(tree.root) for p in tree.files)
    return Tree(destination, files, tree.legacy_files, tree.modern_files, tree.lines, tree.bytes)
