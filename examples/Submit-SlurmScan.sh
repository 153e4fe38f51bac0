#!/bin/bash
# Submit-SlurmScan.sh - a ConvViz top-k scan split over a Slurm job array, then one merge job.
#
# SYNOPSIS
#   bash examples/Submit-SlurmScan.sh IMAGE_DIR [WORK_DIR]     submit the array and the merge job
#   sbatch examples/Submit-SlurmScan.sh IMAGE_DIR [WORK_DIR]   submit only the array (merge by hand)
#
# DESCRIPTION
#   Each array task i of n runs examples/Invoke-ScanJob.ps1 -Shard i/n on the whole image
#   folder (every task must see the same full paths: the shard is chosen by hashing the full
#   path) and keeps its running top-k in WORK_DIR/state/shard<i>.json, so a task that is
#   preempted or requeued (--requeue) resumes where it stopped. An unreadable image is logged
#   with its ErrorId and does not fail the task (the job script's exit code 3 counts as done).
#   Started with bash instead of sbatch, the script submits itself as the array and then a
#   merge job (examples/Merge-Shards.ps1) that depends on every task succeeding
#   (--dependency=afterok); the merge writes WORK_DIR/state/merged.json (exactly the records
#   of one scan over all the images) and the HTML report WORK_DIR/report/index.html.
#
# ENVIRONMENT
#   CONVVIZ_MODULE   path of the ConvViz module folder (default: ../out/ConvViz beside this script)
#   CONVVIZ_LAYERS   layers to scan, comma-separated (default: conv1,layer1,layer2,layer3,layer4)
#   CONVVIZ_UNITS    units (default: 0..63)
#   CONVVIZ_TOP      patches per unit (default: 9)
#   CONVVIZ_MODEL    a built-in model name or a model file (default: resnet18)
#   CONVVIZ_TASKS    array tasks (default: 8); CONVVIZ_CPUS cores per task (default: 8);
#   CONVVIZ_MEM      memory per task (default: 16G)
#   PWSH             the command that starts pwsh (default: pwsh; may be "dotnet /opt/convviz/out/pwsh/pwsh.dll")
#
# EXAMPLE
#   CONVVIZ_MODULE=/opt/convviz/out/ConvViz bash examples/Submit-SlurmScan.sh /data/imagenet/val /scratch/$USER/convviz
#
#SBATCH --job-name=convviz-scan
#SBATCH --array=1-8
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=convviz-scan-%A_%a.out
set -euo pipefail

IMAGE_DIR=${1:?usage: Submit-SlurmScan.sh IMAGE_DIR [WORK_DIR]}
WORK_DIR=${2:-$PWD/convviz}
# Under sbatch the script runs from a spool copy, so its own folder is only known before
# submission; submitted with plain sbatch, it assumes sbatch ran in the repository root.
if [[ -n "${CONVVIZ_EXAMPLES:-}" ]]; then SCRIPT_DIR=$CONVVIZ_EXAMPLES
elif [[ -n "${SLURM_JOB_ID:-}" ]]; then SCRIPT_DIR=${SLURM_SUBMIT_DIR:-$PWD}/examples
else SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); fi
MODULE=${CONVVIZ_MODULE:-$SCRIPT_DIR/../out/ConvViz}
LAYERS=${CONVVIZ_LAYERS:-conv1,layer1,layer2,layer3,layer4}
UNITS=${CONVVIZ_UNITS:-0..63}
TOP=${CONVVIZ_TOP:-9}
MODEL=${CONVVIZ_MODEL:-resnet18}
TASKS=${CONVVIZ_TASKS:-8}
CPUS=${CONVVIZ_CPUS:-8}
MEM=${CONVVIZ_MEM:-16G}
PWSH=${PWSH:-pwsh}
read -r -a PWSH_CMD <<< "$PWSH"
export CONVVIZ_EXAMPLES=$SCRIPT_DIR CONVVIZ_MODULE=$MODULE CONVVIZ_LAYERS=$LAYERS CONVVIZ_UNITS=$UNITS CONVVIZ_TOP=$TOP CONVVIZ_MODEL=$MODEL PWSH

if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
    # Not inside the array: submit it, then the merge that waits for all its tasks.
    mkdir -p "$WORK_DIR/state" "$WORK_DIR/logs"
    IMAGE_DIR=$(cd "$IMAGE_DIR" && pwd)
    WORK_DIR=$(cd "$WORK_DIR" && pwd)
    # Options on the command line override the #SBATCH lines.
    array=$(sbatch --parsable --array=1-"$TASKS" --cpus-per-task="$CPUS" --mem="$MEM" --chdir="$WORK_DIR" \
        --output="$WORK_DIR/logs/scan-%A_%a.out" --export=ALL "$SCRIPT_DIR/Submit-SlurmScan.sh" "$IMAGE_DIR" "$WORK_DIR")
    array=${array%%;*}
    merge=$(sbatch --parsable --job-name=convviz-merge --dependency=afterok:"$array" --chdir="$WORK_DIR" \
        --output="$WORK_DIR/logs/merge-%j.out" --cpus-per-task="$CPUS" --mem="$MEM" --time=04:00:00 --export=ALL \
        --wrap "$PWSH -NoProfile -NonInteractive -File '$SCRIPT_DIR/Merge-Shards.ps1' -StateFolder '$WORK_DIR/state' -ShardCount $TASKS -ModulePath '$MODULE' -Model '$MODEL' -ReportPath '$WORK_DIR/report/index.html'")
    merge=${merge%%;*}
    echo "Submitted scan array $array ($TASKS tasks) and merge job $merge into $WORK_DIR."
    exit 0
fi

ID=$SLURM_ARRAY_TASK_ID
COUNT=${SLURM_ARRAY_TASK_COUNT:-8}
mkdir -p "$WORK_DIR/state"
echo "Shard $ID/$COUNT of $IMAGE_DIR on $(hostname), $SLURM_CPUS_PER_TASK cores"
# Torch uses the cores Slurm gave the task, not the node's.
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
code=0
"${PWSH_CMD[@]}" -NoProfile -NonInteractive -File "$SCRIPT_DIR/Invoke-ScanJob.ps1" -Path "$IMAGE_DIR" \
    -StatePath "$WORK_DIR/state/shard$ID.json" -Shard "$ID/$COUNT" -Layer "$LAYERS" -Unit "$UNITS" -Top "$TOP" \
    -Model "$MODEL" -ModulePath "$MODULE" || code=$?
# 3: done, with unreadable images (logged above with their ErrorIds): the shard is complete.
if [[ $code -eq 3 ]]; then echo "Shard $ID/$COUNT done; some images were unreadable (see IMAGE-ERROR lines)."; exit 0; fi
exit $code
