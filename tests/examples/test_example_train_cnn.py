"""The Lightning CNN example builds the right model, really trains, and counts its work right."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from lightning_fabric.utilities.throughput import measure_flops

from whygpu.contract import Unsupported

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def m(all_examples):
    return all_examples["train_cnn"].module


def test_model_maps_a_batch_of_digits_to_ten_scores(m):
    x_train, _, _, _ = m.load_data()
    assert tuple(x_train.shape[1:]) == (1, 8, 8)
    assert float(x_train.min()) >= 0.0 and float(x_train.max()) <= 1.0
    out = m.DigitsCNN()(x_train[:5])
    assert tuple(out.shape) == (5, m.CLASSES)
    assert torch.isfinite(out).all()


def test_split_is_held_out_and_stratified(m):
    x_train, _, x_test, y_test = m.load_data()
    assert len(x_train) + len(x_test) == 1797
    assert len(x_test) == pytest.approx(1797 * m.TEST_FRACTION, abs=1)
    assert set(y_test.tolist()) == set(range(10))


def test_batches_are_full_shuffled_slices(m):
    x = torch.arange(10.0).reshape(10, 1, 1, 1)
    y = torch.arange(10)
    batches = m.DeviceBatches(x, y, 3)
    seen = list(batches)
    assert len(seen) == len(batches) == 3  # the incomplete last batch is dropped
    for xb, yb in seen:
        assert tuple(xb.shape) == (3, 1, 1, 1)
        assert xb.flatten().long().tolist() == yb.tolist()  # images stay with their labels
    assert len({int(v) for _, yb in seen for v in yb}) == 9  # no sample twice in an epoch
    with pytest.raises(ValueError):
        m.DeviceBatches(x, y, 11)


@pytest.mark.slow  # trains
def test_a_short_fit_lowers_the_training_loss(m):
    torch.manual_seed(m.SEED)
    x_train, y_train, _, _ = m.load_data()
    model = m.DigitsCNN()

    def loss() -> float:
        with torch.no_grad():
            return F.cross_entropy(model(x_train), y_train).item()

    before = loss()
    m.make_trainer(CPU, max_steps=40).fit(model, m.DeviceBatches(x_train, y_train, 64))
    after = loss()
    assert after < 0.5 * before, (before, after)


@pytest.mark.slow  # trains
def test_the_timed_call_runs_real_training_steps(m):
    call = m.workload(16, CPU)
    trainer = call()
    model = trainer.lightning_module
    before = [p.detach().clone() for p in model.parameters()]
    trainer = call()
    assert trainer.global_step == m.STEPS  # a fresh Trainer each call, STEPS optimizer steps
    after = list(trainer.lightning_module.parameters())
    assert all(torch.isfinite(p).all() for p in after)
    assert all(not torch.equal(a, b) for a, b in zip(before, after, strict=True))


def test_work_counts_samples_and_flops_of_one_call(m):
    for size in m.SIZES["full"]:
        cost = m.work(size, "train")
        assert cost.items == m.STEPS * size
        assert cost.params["batch"] == size
    # The hand count matches PyTorch's FLOP counter on one training step (forward + backward).
    model = m.DigitsCNN()
    x = torch.randn(4, 1, 8, 8)
    counted = measure_flops(model, lambda: model(x), loss_fn=torch.Tensor.sum)
    assert counted == 4 * m.train_flops_per_sample()
    assert m.work(4).flops == m.STEPS * counted


def test_accelerator_names_follow_the_torch_device(m):
    assert m.lightning_accelerator(torch.device("cpu")) == ("cpu", 1)
    assert m.lightning_accelerator(torch.device("cuda", 1)) == ("gpu", [1])
    assert m.lightning_accelerator(torch.device("mps")) == ("mps", 1)
    with pytest.raises(Unsupported):
        m.lightning_accelerator(torch.device("meta"))


def test_accuracy_on_known_scores(m):
    logits = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert m.accuracy(logits, torch.tensor([1, 0, 0, 1])) == 0.5
    assert m.accuracy(logits, torch.tensor([1, 0, 1, 0])) == 1.0


@pytest.mark.slow  # trains
def test_a_few_epochs_classify_held_out_digits(m):
    meter = m.SamplesPerSecond(window=10)
    _, test_accuracy = m.train(CPU, epochs=3, batch_size=64, callbacks=[meter])
    assert test_accuracy > 0.85
    assert meter.steps == 3 * (len(m.load_data()[0]) // 64)
    assert meter.samples_per_s() > 0
