"""A script behind README's pictures (Scripts/*_picture.py) run with pvbatch in its --quick mode,
and every picture it makes compared with its baseline: the baseline folder holds one PNG per
picture, named as the script names them (the --output and its _3d companion)."""

import os
import shutil
import subprocess

import gs_testing as t
import picture_compare


def main():
    def extra(parser):
        parser.add_argument("--pvbatch", required=True)
        parser.add_argument("--script", required=True)
        parser.add_argument("--output-dir", required=True)
        parser.add_argument("--baseline-dir", required=True)

    args = t.parse_args(extra)
    if os.path.isdir(args.output_dir):
        shutil.rmtree(args.output_dir)
    os.makedirs(args.output_dir)
    # landscape_picture.py -> landscape.png, the name the script's --output takes.
    stem = os.path.basename(args.script).replace("_picture.py", "")
    command = [args.pvbatch, args.script, "--plugin", args.plugin, "--quick",
               "--output", os.path.join(args.output_dir, stem + ".png")]
    print("running: " + " ".join(command))
    result = subprocess.run(command, timeout=280, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    print(result.stdout)
    t.check(result.returncode == 0, "the script exited with 0 (%d)" % result.returncode)
    baselines = sorted(n for n in os.listdir(args.baseline_dir) if n.endswith(".png")) \
        if os.path.isdir(args.baseline_dir) else []
    t.check(len(baselines) > 0, "there are baselines in %s" % args.baseline_dir)
    for name in baselines:
        picture_compare.check_picture(t.check, os.path.join(args.output_dir, name),
                                      os.path.join(args.baseline_dir, name))


t.run(main)
