"""ProgressBar: counts steps, leaves a note in words when done (outside a kernel: tqdm's text bar)."""

import pytest

from aipm_sim.widgets import ProgressBar


def test_the_bar_counts_steps_and_leaves_a_note(capsys):
    bar = ProgressBar(5, desc="resamples")
    assert repr(bar) == "0 of 5 resamples done." and not bar.done
    bar.update(2)
    bar.update(3)
    assert bar.done and bar.n == 5
    assert repr(bar) == bar.note.text == "Done: 5 resamples."
    assert bar._repr_markdown_() == "Done: 5 resamples."


def test_a_large_total_is_written_with_separators():
    bar = ProgressBar(20_000, desc="simulations")
    bar.update(20_000)
    assert repr(bar) == "Done: 20,000 simulations."


def test_a_bar_closed_early_leaves_no_done_note():
    bar = ProgressBar(3)
    bar.update(1)
    bar.close()
    assert not bar.done and repr(bar) == "1 of 3 steps done."


@pytest.mark.parametrize("total", [0, -2])
def test_a_bar_needs_steps(total):
    with pytest.raises(ValueError, match=rf"^total must be a whole number of steps > 0; found {total}$"):
        ProgressBar(total)


def test_it_feeds_the_bootstrap_and_ends_done():
    import aipm_sim as am

    data = am.BinormalModel(prevalence=0.05, auc=0.8).sample(500, seed=1)
    bar = ProgressBar(20, desc="resamples")
    am.simulate_uncertainty(data, am.ValueModel(tp=10, fp=-1), resamples=20, progress=bar)
    assert bar.done and bar.n == 20
