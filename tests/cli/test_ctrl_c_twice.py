"""Ctrl-C pressed twice (issue 21's interruptions, by hand): `pipeline run … --jobs 2` in
its own session, SIGINT to its group and again 50 ms later, printed the interruption's
sentence and then a traceback (the second press cut the command's last words), and a
second press while the run was stopping cut the stop short: the failures unlisted, the
count lost. The stop and the last words are now deaf to another press."""

import os
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, SEED, seed_of_its_own

import pipeline.batch as batch
from pipeline.errors import Interrupted
from pipeline.job import RunSettings
from pipeline.output.state import load_manifest, manifest_entry, read_seal

INTERRUPTED = ("Error: interrupted: 1 of 2 report(s) finished and were recorded; the others "
               "were stopped and their folders are as they were. Run the same command again "
               "to finish.\n")


def test_a_second_ctrl_c_while_the_run_stops_is_ignored(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a_broken.txt").write_text("not a report\n", encoding="utf-8")
    for name in ("ward_0", "ward_1"):
        (raw / f"{name}.txt").write_text(seed_of_its_own(name), encoding="utf-8")
    finished: list[str] = []
    settle = batch._current_manifest

    def pressed_again(out_dir, *args):  # the stop settles the manifest: Ctrl-C once more
        if len(finished) == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return settle(out_dir, *args)

    def first_press(outcome, done, total):
        finished.append(outcome.report_id)
        if len(finished) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_current_manifest", pressed_again)
    with pytest.raises(Interrupted) as stopped:
        batch.run([raw], RunSettings(out_dir=out, jobs=1), on_done=first_press)
    assert (stopped.value.done, stopped.value.total) == (1, 3)
    failures = (out / "failures.csv").read_text(encoding="utf-8-sig")
    assert "a_broken.txt" in failures
    assert load_manifest(out) == {p.name: manifest_entry(read_seal(p))
                                  for p in out.iterdir() if read_seal(p)}
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _command(raised: str, out) -> subprocess.CompletedProcess:
    """`pipeline run SEED --out OUT` whose run raises ``raised`` (Python), its Ctrl-C
    message pressed again as it is printed."""
    script = f"""
import os, signal, sys
import click, pipeline
from pipeline.errors import Interrupted

def run(*args, **kwargs):
    raise {raised}

echo = click.echo

def pressed_again(message=None, *args, **kwargs):
    if str(message).startswith("Error: interrupted"):
        os.kill(os.getpid(), signal.SIGINT)
    echo(message, *args, **kwargs)

pipeline.run, click.echo = run, pressed_again
sys.argv = ["pipeline", "run", {str(SEED)!r}, "--out", {str(out)!r}]
from pipeline.cli import entry
entry()
"""
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_a_ctrl_c_while_the_interruption_is_said_neither_cuts_it_nor_shows_a_traceback(tmp_path):
    result = _command("Interrupted(1, 2)", tmp_path / "out")
    assert (result.returncode, result.stderr) == (130, INTERRUPTED)


def test_a_ctrl_c_after_the_run_stopped_for_the_first_is_the_same_sentence(tmp_path):
    result = _command("KeyboardInterrupt", tmp_path / "out")
    assert (result.returncode, result.stderr) == (130, (
        "Error: interrupted: the reports that finished were recorded; the others were stopped "
        "and their folders are as they were. Run the same command again to finish.\n"))
