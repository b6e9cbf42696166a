#!/usr/bin/env python3
"""Count equal predictions between two sextant (or OpenCompass) run folders' predictions/<model>/*.json, and each
run's accuracy from results/<model>/*.json. usage: compare-predictions.py RUN_A RUN_B"""
import glob
import json
import os
import sys


def load(run):
    predictions = {}
    for path in glob.glob(os.path.join(run, "predictions", "*", "*.json")):
        with open(path, encoding="utf-8") as handle:
            for index, entry in json.load(handle).items():
                predictions[(os.path.basename(path), index)] = entry.get("prediction")
    return predictions


def accuracy(run):
    correct = total = 0
    for path in glob.glob(os.path.join(run, "results", "*", "*.json")):
        with open(path, encoding="utf-8") as handle:
            result = json.load(handle)
        details = result.get("details")
        if isinstance(result.get("accuracy"), (int, float)):
            total += 1
            correct += result["accuracy"]
    return round(correct / total, 2) if total else None


a, b = load(sys.argv[1]), load(sys.argv[2])
keys = sorted(set(a) & set(b))
print(json.dumps({"a": sys.argv[1], "b": sys.argv[2], "samples": len(keys), "onlyA": len(set(a) - set(b)), "onlyB": len(set(b) - set(a)),
                  "equal": sum(a[k] == b[k] for k in keys), "meanSubjectAccuracyA": accuracy(sys.argv[1]),
                  "meanSubjectAccuracyB": accuracy(sys.argv[2])}))
