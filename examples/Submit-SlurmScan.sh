#!/bin/bash
# Submit-SlurmScan.sh - a ConvViz top-k scan split over a Slurm job array, then one merge job.
#
# SYNOPSIS
#   bash examples/Submit-SlurmScan.sh IMAGE_DIR [WORK_DIR]     submit the array and the merge job
#   sbatch examples/Submit-SlurmScan.sh IMAGE_DIR [WORK_DIR]   submit only the array (merge by hand)
#
# DESCRIPTION
#   Each array task i of n runs Get-TopActivations -Shard i/n on the whole image folder (every
#   task must see the same full paths: the shard is chosen by hashing the full path) and keeps
#   its running top-k in WORK_DIR/state/shard<i>.json. The state is rewritten atomically after
#   every batch, so a task that is preempted or requeued (--requeue) resumes where it stopped.
#   Started with bash instead of sbatch, the script submits itself as the array and then a
#   merge job (examples/Merge-Shards.ps1) that depends on every task succeeding
#   (--dependency=afterok); the merge writes WORK_DIR/state/merged.json and the HTML report
#   WORK_DIR/report/index.html.
#
# ENVIRONMENT
#   CONVVIZ_MODULE   path of the ConvViz module folder (default: ../out/ConvViz beside this script)
#   CONVVIZ_LAYERS   layers to scan, comma-separated (default: conv1,layer1,layer2,layer3,layer4)
#   CONVVIZ_UNITS    units (default: 0..63)
#   PWSH             the pwsh command (default: pwsh)
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
PWSH=${PWSH:-pwsh}
export CONVVIZ_EXAMPLES=$SCRIPT_DIR CONVVIZ_MODULE=$MODULE CONVVIZ_LAYERS=$LAYERS CONVVIZ_UNITS=$UNITS PWSH

if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
    # Not inside the array: submit it, then the merge that waits for all its tasks.
    mkdir -p "$WORK_DIR/state" "$WORK_DIR/logs"
    IMAGE_DIR=$(cd "$IMAGE_DIR" && pwd)
    WORK_DIR=$(cd "$WORK_DIR" && pwd)
    array=$(sbatch --parsable --chdir="$WORK_DIR" --output="$WORK_DIR/logs/scan-%A_%a.out" --export=ALL \
        "$SCRIPT_DIR/Submit-SlurmScan.sh" "$IMAGE_DIR" "$WORK_DIR")
    array=${array%%;*}
    tasks=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\).*/\1/p' "$SCRIPT_DIR/Submit-SlurmScan.sh")
    merge=$(sbatch --parsable --job-name=convviz-merge --dependency=afterok:"$array" --chdir="$WORK_DIR" \
        --output="$WORK_DIR/logs/merge-%j.out" --cpus-per-task=8 --mem=16G --time=04:00:00 --export=ALL \
        --wrap "$PWSH -NoProfile -NonInteractive -File '$SCRIPT_DIR/Merge-Shards.ps1' -StateFolder '$WORK_DIR/state' -ShardCount $tasks -ModulePath '$MODULE' -ReportPath '$WORK_DIR/report/index.html'")
    echo "Submitted scan array $array ($tasks tasks) and merge job $merge into $WORK_DIR."
    exit 0
fi

ID=$SLURM_ARRAY_TASK_ID
COUNT=${SLURM_ARRAY_TASK_COUNT:-8}
mkdir -p "$WORK_DIR/state"
echo "Shard $ID/$COUNT of $IMAGE_DIR on $(hostname), $SLURM_CPUS_PER_TASK cores"
# Torch uses the cores Slurm gave the task, not the node's.
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
"$PWSH" -NoProfile -NonInteractive -c "
    \$ErrorActionPreference = 'Stop'
    Import-Module '$MODULE/ConvViz.psd1'
    \$layers = '$LAYERS' -split ','
    Get-TopActivations -Path '$IMAGE_DIR' -Recurse -Layer \$layers -Unit '$UNITS' -Shard $ID/$COUNT -StatePath '$WORK_DIR/state/shard$ID.json' | Out-Null
    Write-Host 'Shard $ID/$COUNT done.'
"
