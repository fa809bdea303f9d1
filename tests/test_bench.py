"""`python -m ae bench`'s measuring code: short alternating rounds, both loops counted."""

import statistics

from ae.bench import random_digits, report, run_bench, run_kind_bench


def test_run_bench_alternates_rounds_and_reports_their_median_ratio():
    b = run_bench(steps=2, rounds=3, x=random_digits(64), threads=1)
    assert b["rounds"] == 3 and len(b["round_ratios"]) == 3 and b["threads"] == 1
    assert b["naive_images_per_s"] > 0 and b["trainer_images_per_s"] > 0
    assert b["ratio"] == b["trainer_images_per_s"] / b["naive_images_per_s"]
    assert b["median_round_ratio"] == statistics.median(b["round_ratios"])
    text = report(b)
    assert f"ratio b/a: {b['ratio']:.2f}" in text
    assert f"median round {b['median_round_ratio']:.2f}" in text


def test_kind_bench_times_the_vae_against_the_autoencoder_in_alternating_rounds():
    k = run_kind_bench(steps=2, rounds=3, x=random_digits(64), threads=1)
    assert len(k["round_ratios"]) == 3 and k["threads"] == 1
    assert k["ratio"] == k["vae_images_per_s"] / k["autoencoder_images_per_s"]
    assert k["median_round_ratio"] == statistics.median(k["round_ratios"])
    b = run_bench(steps=2, rounds=1, x=random_digits(64), threads=1)
    assert f"ratio VAE/AE {k['ratio']:.2f}" in report(b, kinds_b=k)
