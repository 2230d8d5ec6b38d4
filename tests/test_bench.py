"""make bench's report: targets from the measured numbers, hand-written notes kept across runs."""

from __future__ import annotations

from generator import bench


def _results() -> dict:
    split = {
        "cold": bench.Run("cold", 2.4, 310.0, {"load data": 1.9, "note": 0.4}, {"note.pdf": 700 * 1024}),
        "warm": bench.Run("warm", 1.6, 280.0, {"load data": 0.5, "note": 0.3}, {"note.pdf": 700 * 1024}),
        "cold, serial": bench.Run("cold, serial", 3.0, 300.0, {"load data": 1.9}, {}),
    }
    compare_output = (
        "cold project  2.400 s (min 2.3, max 2.6)   naive  4.000 s (min 3.9, max 4.2)\n"
        "warm project  1.600 s (min 1.5, max 1.7)   naive  4.200 s (min 4.0, max 4.4)\n"
        "ratios: cold_vs_naive=0.60 warm_vs_naive=0.38   (project median / peer median)\n"
    )
    return {
        "machine": {"when": "2026-12-01 20:00 UTC", "machine": "x86_64, 2 cores"},
        "split": split,
        "imports": {"python -c pass": 0.02},
        "preview": {
            "HTML refresh after a template edit": 0.2,
            "HTML refresh after a views edit": 0.25,
            "PDF link after a views edit": 2.0,
        },
        "backfill": bench.Run("backfill", 70.0, 370.0, {}, {"dates": 52, "failed": 0}),
        "compare": (
            compare_output,
            {"cold_vs_naive": 0.60, "warm_vs_naive": 0.38},
            {"cold/naive": 4.0, "warm/naive": 4.2},
        ),
    }


def test_targets_are_judged_from_the_measured_numbers():
    rows = {name: (round(value, 3), ok) for name, value, _, ok in bench.target_rows(_results())}
    assert rows["cold_vs_naive"] == (0.6, True)
    assert rows["warm_vs_naive"] == (0.38, True)
    assert rows["backfill_vs_naive"] == (round(70.0 / 4.1, 3), False)  # over the median of the naive runs
    assert rows["preview_html_s"] == (0.25, True)
    assert rows["preview_pdf_s"] == (2.0, False)
    assert rows["peak_mib"] == (370.0, True)  # 400 MB is 381 MiB
    assert rows["note_pdf_mib"] == (round(700 / 1024, 3), True)


def test_report_quotes_the_ratios_and_keeps_the_hand_written_notes(tmp_path):
    results = _results()
    results["ratios"] = bench.target_rows(results)
    target = tmp_path / "performance.md"
    bench.write_doc(results, target, runs=5, split_runs=3)
    first = target.read_text(encoding="utf-8")
    assert "cold_vs_naive=0.60" in first
    closing = first[first.index("## Closing note") :]
    assert "cold_vs_naive 0.60 (target ≤ 0.6, met)" in closing
    assert "preview_pdf_s 2.00 (target ≤ 1.5, not met)" in closing
    assert first.rstrip().endswith("note_pdf_mib 0.68 (target ≤ 1.5, met).")
    note = "Trial: svg.fonttype none took write_pdf from 1.90 to 1.06 s of CPU."
    target.write_text(first.replace(bench.KEPT_END, f"{note}\n{bench.KEPT_END}"), encoding="utf-8")
    results["split"]["cold"].seconds = 2.2
    bench.write_doc(results, target, runs=5, split_runs=3)
    second = target.read_text(encoding="utf-8")
    assert note in second
    assert "**2.20**" in second


def test_the_fridays_of_2024_are_52():
    fridays = bench.weekly_fridays(*bench.BACKFILL)
    assert len(fridays) == 52
    assert {day.weekday() for day in fridays} == {4}


def test_a_measured_process_does_not_count_the_bench_s_own_memory():
    # the bench process is large by the time it runs the backfill (the preview timings ran in it)
    ballast = bytearray(300 * 2**20)
    ballast[::4096] = b"\1" * len(ballast[::4096])
    run = bench.run_process("help", ["--help"])
    assert 0 < run.peak_mib < 200, run.peak_mib
    assert run.seconds > 0
    del ballast
