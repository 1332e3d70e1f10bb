import pytest

from torchup.analysis.legacy_era import shows_legacy_era


@pytest.mark.parametrize(
    "text",
    [
        "x = Variable(t)\n",
        "from torch.autograd import Function, Variable\n",
        "y = model(x, volatile=True)\n",
        "total += loss.data[0]\n",
        "t = torch.cuda.FloatTensor(3)\n",
        "dtype = torch.cuda.LongTensor\n",
        "c = nn.MSELoss(size_average=False)\n",
        "c = nn.NLLLoss(reduce=False)\n",
        "x = x.cuda(async=True)\n",
    ],
)
def test_idioms_of_torch_before_1_0_show_the_era(text):
    assert shows_legacy_era(text)


@pytest.mark.parametrize(
    "text",
    [
        "i = torch.arange(0, d, 2, dtype=torch.int64) / d\n",
        "with torch.no_grad():\n    y = model(x.to(device))\n",
        "loss = F.cross_entropy(x, y, reduction='none')\nv = loss.item()\n",
        "t = torch.tensor([1, 2], dtype=torch.long)\n",
        "isinstance(x, torch.FloatTensor)\n",
        "self.mask_embedding = Parameter(torch.FloatTensor(dim))\n",  # still written today
        "variables = VariableStore()\nz = functools.reduce(f, xs)\n",
        "first = self.data[1]\n",
    ],
)
def test_modern_code_does_not(text):
    assert not shows_legacy_era(text)
