#include "commands.h"

namespace anatomist::cli {

namespace {

const Command kCommands[] = {
    {"info", "info MODEL [--json] [--dtype D]",
     "architecture, sizes, parameters per module and memory per dtype", runInfo},
    {"eval",
     "eval MODEL (--text FILE | --ids FILE | --tasks FILE.jsonl [--details]) [--context N] "
     "[--dtype D] [--json]",
     "perplexity on a text file or token ids; multiple-choice accuracy (acc, acc_norm) on tasks",
     runEval},
    {"generate",
     "generate MODEL --prompt TEXT [--max-new-tokens N] [--greedy | --temperature T --seed S "
     "[--top-k K]] [--adaptive-bypass FILE.json] [--json]",
     "continue a prompt with the KV cache", runGenerate},
    {"import-llama2c", "import-llama2c MODEL.bin --tokenizer tokenizer.model --out DIR",
     "convert a llama2.c checkpoint into a Hugging Face folder", runImportLlama2c},
    {"bench",
     "bench (MODEL | --shape NAME) [--prompt N] [--gen M] [--depths D,..] [--threads T] [--repeats "
     "R] [--json] | bench --shape NAME --save DIR [--tokenizer DIR]",
     "prefill and decode speed against this machine's sgemm rate", runBench},
    {"sgemm", "sgemm [--size N] [--min-gflops G] [--json]",
     "float32 matrix-product speed of the BLAS libtorch uses", runSgemm},
    {"analyze",
     "analyze (similarity MODEL --text F [--text2 F] [--angular N] [--bench] | activations MODEL "
     "--prompt S --component C [--layers 0,3] | contrastive MODEL --pairs F [--components C,..] "
     "[--mean-pool] [--details] | importance MODEL --method ppm|vow|pon|l2|activation|l1|fairness "
     "[--text F] [--pairs F]) [--json]",
     "layer similarity, activations, contrastive pairs and neuron importance", runAnalyze},
    {"tokenize",
     "tokenize MODEL_OR_TOKENIZER (--text S | --file F [--bench [--chunk whole|lines] [--passes "
     "N]] | "
     "--decode IDS [--skip-special] | "
     "--batch FILE.json) [--special] [--json]",
     "token ids and strings of a text, decode ids, batch-encode a JSON array, or MB/s",
     runTokenize},
    {"train",
     "train (--config FILE.json | --data FILE --tokenizer TOK | --ids FILE) [--arch A --layers N "
     "--hidden H --steps N --batch B --accum K --seq T --lr LR ...] [--device cpu|cuda[:N]] "
     "[--nproc N] [--dist-timeout S] [--bucket-kb KB] --out DIR [--log FILE] | train --resume DIR",
     "train a causal LM (AdamW, warm-up + cosine, accumulation, clipping, checkpoints)", runTrain},
    {"prune",
     "prune MODEL --out DIR [--remove-layers 2,5] [--bypass-attention 1,3] [--width PCT | "
     "--expansion PCT_OF_HIDDEN | --keep N] [--method ppm|vow|pon|l2|activation|l1] [--divisor D] "
     "[--layers 0,1] [--heads groups:1|per-group:N] [--fairness-count N --pairs F] [--text F] "
     "[--plan PLAN.json] [--force] [--json]",
     "remove layers, bypass attention, narrow MLPs, remove heads; export a variant folder",
     runPrune},
    {"export",
     "export MODEL --format gguf|hf --out PATH [--type f32|f16|bf16|q8_0] [--dtype D] [--json]",
     "write a model as a llama.cpp GGUF file or a Hugging Face folder", runExport},
    {"select-layers",
     "select-layers MODEL --text FILE --count N [--iterative] [--attention] [--protect-first K] "
     "[--protect-last] [--no-adjacent] [--json]",
     "layers (or attentions) to remove by importance, one-shot or re-measured after each pick",
     runSelectLayers},
    {"compare",
     "compare BASE VARIANT... --text FILE [--bench [--prompt N] [--gen M] [--repeats R]] "
     "[--context N] [--no-similarity] [--json]",
     "base and variants side by side: parameters, memory, perplexity, speed, layer similarity",
     runCompare},
    {"calibrate-bypass",
     "calibrate-bypass MODEL --prompts FILE --out FILE.json [--max-bypass N] [--json]",
     "adaptive attention bypass: rank attentions, map prompt complexity to layers kept",
     runCalibrateBypass},
    {"distill",
     "distill --teacher BASE (--student DIR | --plan PLAN.json) --data FILE [--eval FILE] [--steps "
     "N | --epochs E] "
     "[--lr --batch --seq --accum --alpha --beta --gamma --delta --temperature --kl "
     "forward|reverse|skew --layer-map 0,1,3] [--device cpu|cuda[:N]] [--dtype float32|float64] "
     "[--nproc N] [--dist-timeout S] [--bucket-kb KB] "
     "--out DIR [--log FILE.jsonl] | distill --resume DIR",
     "heal a pruned student by distillation from its base (CE, KL, hidden-state terms)",
     runDistill},
    {"lora",
     "lora MODEL --data FILE [--eval FILE] [--rank R --alpha A --dropout P] [--targets q,v] "
     "[--layers 0-3] [--teacher BASE] [--steps N --lr LR ...] [--merge] --out DIR | lora --resume "
     "DIR",
     "LoRA adapters (PEFT format) trained with CE or distillation; --merge writes a plain model",
     runLoraCommand},
    {"audit",
     "audit MODEL [--pairs SET|FILE ...] --out REPORT.html [--json REPORT.json] [--pdf REPORT.pdf] "
     "[--top-layers N] "
     "[--top-neurons N] [--fairness-weight W] [--variant DIR|FILE.gguf|PLAN.json ...]",
     "fairness audit over pair sets (gender, race, religion, age, nationality or files): HTML "
     "report, JSON and PDF; each --variant is compared before/after compression",
     runAudit},
};

} // namespace

std::span<const Command> commands() {
    return kCommands;
}

} // namespace anatomist::cli
