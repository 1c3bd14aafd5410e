<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ca">
<context>
    <name>JobStage</name>
    <message>
        <source>configuration</source>
        <translation>configuració</translation>
    </message>
    <message>
        <source>tokenizer</source>
        <translation>tokenitzador</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>pesos</translation>
    </message>
    <message>
        <source>tensors</source>
        <translation>tensors</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>lectura</translation>
    </message>
    <message>
        <source>writing</source>
        <translation>escriptura</translation>
    </message>
    <message>
        <source>building</source>
        <translation>construcció</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fet</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>càrrega</translation>
    </message>
    <message>
        <source>data</source>
        <translation>dades</translation>
    </message>
    <message>
        <source>similarity</source>
        <translation>similitud</translation>
    </message>
    <message>
        <source>selecting layers</source>
        <translation>selecció de capes</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>activacions</translation>
    </message>
    <message>
        <source>prompt pairs</source>
        <translation>parells de prompts</translation>
    </message>
    <message>
        <source>scoring</source>
        <translation>puntuació</translation>
    </message>
    <message>
        <source>scores</source>
        <translation>puntuacions</translation>
    </message>
    <message>
        <source>logit lens</source>
        <translation>lent de logits</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>passada endavant</translation>
    </message>
    <message>
        <source>generating</source>
        <translation>generació</translation>
    </message>
    <message>
        <source>prefill</source>
        <translation>preompliment</translation>
    </message>
    <message>
        <source>decoding</source>
        <translation>descodificació</translation>
    </message>
    <message>
        <source>timing</source>
        <translation>mesura de temps</translation>
    </message>
    <message>
        <source>matrix product</source>
        <translation>producte de matrius</translation>
    </message>
    <message>
        <source>comparing</source>
        <translation>comparació</translation>
    </message>
    <message>
        <source>calibrating</source>
        <translation>calibratge</translation>
    </message>
    <message>
        <source>teacher reference</source>
        <translation>referència del mestre</translation>
    </message>
    <message>
        <source>student</source>
        <translation>alumne</translation>
    </message>
    <message>
        <source>training</source>
        <translation>entrenament</translation>
    </message>
</context>
<context>
    <name>JsonFile</name>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No s&apos;ha pogut llegir %1: %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at byte %3)</source>
        <translation>%1 no és JSON vàlid (%2 al byte %3)</translation>
    </message>
    <message>
        <source>%1 does not hold a JSON object</source>
        <translation>%1 no conté cap objecte JSON</translation>
    </message>
</context>
<context>
    <name>PlanDocument</name>
    <message>
        <source>%1, %2 layers, hidden size %3, MLP width %4, %5 heads (%6 KV)</source>
        <translation>%1, %2 capes, mida oculta %3, amplada MLP %4, %5 caps (%6 KV)</translation>
    </message>
    <message>
        <source>%1: not a pruning plan (&quot;format&quot; must be &quot;anatomist-plan&quot;)</source>
        <translation>%1: no és un pla de poda (&quot;format&quot; ha de ser &quot;anatomist-plan&quot;)</translation>
    </message>
    <message>
        <source>%1: plan version %2 is not supported (this version reads version 1)</source>
        <translation>%1: la versió %2 del pla no és compatible (aquesta versió llegeix la versió 1)</translation>
    </message>
    <message>
        <source>%1: &quot;operations&quot; must be a list</source>
        <translation>%1: &quot;operations&quot; ha de ser una llista</translation>
    </message>
    <message>
        <source>%1: operation %2 has an unknown &quot;op&quot; (%3)</source>
        <translation>%1: l&apos;operació %2 té un &quot;op&quot; desconegut (%3)</translation>
    </message>
    <message>
        <source>%1: operation %2 (%3) names layer %4, but the base has %5 layers</source>
        <translation>%1: l&apos;operació %2 (%3) anomena la capa %4, però la base té %5 capes</translation>
    </message>
    <message>
        <source>This plan was made for another model.
Plan: %1
Open model: %2</source>
        <translation>Aquest pla es va fer per a un altre model.
Pla: %1
Model obert: %2</translation>
    </message>
</context>
<context>
    <name>PlanTotals</name>
    <message>
        <source>%1 on %2 (head removal is not in these totals)</source>
        <translation>%1 a %2 (l&apos;eliminació de caps no és en aquests totals)</translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>totes les capes</translation>
    </message>
    <message>
        <source>layer(s) %1</source>
        <translation>capa(es) %1</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Export image…</source>
        <translation>Exporta la imatge…</translation>
    </message>
    <message>
        <source>Export image</source>
        <translation>Exporta la imatge</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imatge PNG (*.png);;Imatge SVG (*.svg);;Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>No s&apos;ha pogut exportar</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s&apos;ha pogut escriure %1.</translation>
    </message>
</context>
<context>
    <name>SessionDocument</name>
    <message>
        <source>%1 is not an Anatomist session (&quot;format&quot; must be &quot;%2&quot;)</source>
        <translation>%1 no és una sessió d&apos;Anatomist (&quot;format&quot; ha de ser &quot;%2&quot;)</translation>
    </message>
    <message>
        <source>%1: the session has no valid &quot;version&quot;</source>
        <translation>%1: la sessió no té una &quot;version&quot; vàlida</translation>
    </message>
    <message>
        <source>%1 was written by a newer Anatomist (session version %2; this one reads version %3)</source>
        <translation>%1 es va escriure amb un Anatomist més recent (versió de sessió %2; aquest llegeix la versió %3)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&quot;model&quot; must name the model folder or file</source>
        <translation>&quot;model&quot; ha d&apos;indicar la carpeta o el fitxer del model</translation>
    </message>
    <message>
        <source>&quot;datasets&quot; must be an object</source>
        <translation>&quot;datasets&quot; ha de ser un objecte</translation>
    </message>
    <message>
        <source>dataset &quot;%1&quot; must be a path (a string)</source>
        <translation>el conjunt de dades &quot;%1&quot; ha de ser un camí (una cadena)</translation>
    </message>
    <message>
        <source>the plan</source>
        <translation>el pla</translation>
    </message>
    <message>
        <source>&quot;plan&quot; must be a plan document</source>
        <translation>&quot;plan&quot; ha de ser un document de pla</translation>
    </message>
    <message>
        <source>&quot;variants&quot; must be a list</source>
        <translation>&quot;variants&quot; ha de ser una llista</translation>
    </message>
    <message>
        <source>variant %1 has no &quot;name&quot;</source>
        <translation>la variant %1 no té &quot;name&quot;</translation>
    </message>
    <message>
        <source>variant %1</source>
        <translation>variant %1</translation>
    </message>
    <message>
        <source>variant %1 needs a &quot;plan&quot; or a &quot;path&quot;</source>
        <translation>la variant %1 necessita un &quot;plan&quot; o un &quot;path&quot;</translation>
    </message>
    <message>
        <source>&quot;distill_runs&quot; must be a list of folders</source>
        <translation>&quot;distill_runs&quot; ha de ser una llista de carpetes</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ActivationController</name>
    <message>
        <source>Type a prompt first.</source>
        <translation>Escriviu primer un text d’entrada.</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activacions</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::AnalysisViews</name>
    <message>
        <source>Activations failed</source>
        <translation>Les activacions han fallat</translation>
    </message>
    <message>
        <source>Contrastive pairs failed</source>
        <translation>Els parells contrastius han fallat</translation>
    </message>
    <message>
        <source>Neuron importance failed</source>
        <translation>La importància de neurones ha fallat</translation>
    </message>
    <message>
        <source>Logit lens failed</source>
        <translation>La lent de logits ha fallat</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Carregant el model…</translation>
    </message>
    <message>
        <source>Open a model first (File ▸ Open folder…).</source>
        <translation>Obriu primer un model (Fitxer ▸ Obre una carpeta…).</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer (tokenizer.model or tokenizer.json), so a prompt cannot be turned into tokens.</source>
        <translation>Aquesta carpeta de model no té tokenitzador (tokenizer.model o tokenizer.json), així que un text no es pot convertir en tokens.</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activacions</translation>
    </message>
    <message>
        <source>Contrastive pairs</source>
        <translation>Parells contrastius</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importància de neurones</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lent de logits</translation>
    </message>
    <message>
        <source>Contrastive</source>
        <translation>Contrastos</translation>
    </message>
    <message>
        <source>Neurons</source>
        <translation>Neurones</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::CompareController</name>
    <message>
        <source>Could not measure the comparison</source>
        <translation>No s&apos;ha pogut mesurar la comparació</translation>
    </message>
    <message>
        <source>Could not generate</source>
        <translation>No s&apos;ha pogut generar</translation>
    </message>
    <message>
        <source>Measurement cancelled.</source>
        <translation>Mesura cancel·lada.</translation>
    </message>
    <message>
        <source>Generation cancelled.</source>
        <translation>Generació cancel·lada.</translation>
    </message>
    <message>
        <source>This model has no tokenizer, so the sample text cannot be turned into tokens.</source>
        <translation>Aquest model no té tokenitzador, així que el text de mostra no es pot convertir en tokens.</translation>
    </message>
    <message>
        <source>Comparing %1</source>
        <translation>Comparant %1</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>Mesurant…</translation>
    </message>
    <message>
        <source>This model has no tokenizer, so the prompt cannot be turned into tokens.</source>
        <translation>Aquest model no té tokenitzador, així que el prompt no es pot convertir en tokens.</translation>
    </message>
    <message>
        <source>Write a prompt first.</source>
        <translation>Escriviu primer un prompt.</translation>
    </message>
    <message>
        <source>The prompt (%1 tokens) and %2 new tokens do not fit the model&apos;s context of %3 tokens; shorten the prompt or ask for fewer tokens.</source>
        <translation>El prompt (%1 tokens) i %2 tokens nous no caben en el context del model, de %3 tokens; escurceu el prompt o demaneu menys tokens.</translation>
    </message>
    <message>
        <source>Generating with %1 and %2</source>
        <translation>Generant amb %1 i %2</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Generant…</translation>
    </message>
    <message>
        <source>Measured on the built-in sample; speeds are medians of %1 runs, read them as the ratio in the Δ column.</source>
        <translation>Mesurat amb la mostra integrada; les velocitats són medianes de %1 execucions: llegiu-les com la raó de la columna Δ.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ContrastiveController</name>
    <message>
        <source>Reading prompt pairs</source>
        <translation>Llegint parells de textos</translation>
    </message>
    <message>
        <source>Add at least one prompt pair (or load a pair file) first.</source>
        <translation>Afegiu primer almenys un parell de textos (o carregueu un fitxer de parells).</translation>
    </message>
    <message>
        <source>Pair %1 has an empty prompt: both A and B are needed.</source>
        <translation>El parell %1 té un text buit: calen A i B.</translation>
    </message>
    <message>
        <source>Contrastive pairs</source>
        <translation>Parells contrastius</translation>
    </message>
    <message>
        <source>Pair %1: %2</source>
        <translation>Parell %1: %2</translation>
    </message>
    <message>
        <source>PCA of pair %1</source>
        <translation>PCA del parell %1</translation>
    </message>
    <message>
        <source>Fairness audit</source>
        <translation>Auditoria d&apos;equitat</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::DistillController</name>
    <message>
        <source>%1 (the base model)</source>
        <translation>%1 (el model base)</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Ha fallat: %1</translation>
    </message>
    <message>
        <source>Distillation failed</source>
        <translation>La destil·lació ha fallat</translation>
    </message>
    <message>
        <source>The run in %1 was stopped before it finished; Continue picks up from its checkpoint (open its base model first).</source>
        <translation>L&apos;execució de %1 es va aturar abans d&apos;acabar; Continua segueix des del seu punt de control (obriu abans el seu model base).</translation>
    </message>
    <message>
        <source>Cannot start the distillation</source>
        <translation>No es pot iniciar la destil·lació</translation>
    </message>
    <message>
        <source>Open a model first: it is the teacher.</source>
        <translation>Obriu primer un model: és el mestre.</translation>
    </message>
    <message>
        <source>%1 has no tokenizer, so the training text cannot be turned into tokens.</source>
        <translation>%1 no té tokenitzador, així que el text d&apos;entrenament no es pot convertir en tokens.</translation>
    </message>
    <message>
        <source>Choose a student: apply a pruning plan first to make a variant.</source>
        <translation>Trieu un alumne: apliqueu abans un pla d&apos;esporgada per crear una variant.</translation>
    </message>
    <message>
        <source>%1: no such file.</source>
        <translation>%1: aquest fitxer no existeix.</translation>
    </message>
    <message>
        <source>%1 already holds a distillation run. Resume it, or choose another run folder.</source>
        <translation>%1 ja conté una execució de destil·lació. Reprengueu-la o trieu una altra carpeta d&apos;execució.</translation>
    </message>
    <message>
        <source>%1: cannot create the run folder (%2).</source>
        <translation>%1: no es pot crear la carpeta d&apos;execució (%2).</translation>
    </message>
    <message>
        <source>Cannot resume the distillation</source>
        <translation>No es pot reprendre la destil·lació</translation>
    </message>
    <message>
        <source>%1: the checkpoint is gone, so this run cannot continue. Start a new run instead.</source>
        <translation>%1: el punt de control ja no hi és, així que aquesta execució no pot continuar. Inicieu-ne una de nova.</translation>
    </message>
    <message>
        <source>%1: not a readable checkpoint (%2).</source>
        <translation>%1: no és un punt de control llegible (%2).</translation>
    </message>
    <message>
        <source>%1: not a distillation checkpoint.</source>
        <translation>%1: no és un punt de control de destil·lació.</translation>
    </message>
    <message>
        <source>This run heals a variant of %1: open that model first.</source>
        <translation>Aquesta execució recupera una variant de %1: obriu abans aquest model.</translation>
    </message>
    <message>
        <source>Distillation of %1 (resumed)</source>
        <translation>Destil·lació de %1 (represa)</translation>
    </message>
    <message>
        <source>Distillation of %1</source>
        <translation>Destil·lació de %1</translation>
    </message>
    <message>
        <source>%1 healed by distillation: %2 steps</source>
        <translation>%1 recuperada per destil·lació: %2 passos</translation>
    </message>
    <message>
        <source>; held-out perplexity %1 → %2 (teacher %3)</source>
        <translation>; perplexitat en validació %1 → %2 (mestre %3)</translation>
    </message>
    <message>
        <source>%1 healed</source>
        <translation>%1 recuperada</translation>
    </message>
    <message>
        <source>Done: %1 is in the Variants tab. The run is in %2.</source>
        <translation>Fet: %1 és a la pestanya Variants. L&apos;execució és a %2.</translation>
    </message>
    <message>
        <source>Stopped at step %1. The checkpoint is in %2; Continue picks up from there.</source>
        <translation>Aturada al pas %1. El punt de control és a %2; Continua segueix des d&apos;allà.</translation>
    </message>
    <message>
        <source>Stopped before the first checkpoint; there is nothing to resume.</source>
        <translation>Aturada abans del primer punt de control; no hi ha res a reprendre.</translation>
    </message>
    <message>
        <source>This libtorch has no CUDA (built without it, or no CUDA device or driver is visible), so runs go on the CPU. To train on a GPU, build Anatomist against a CUDA libtorch (see the README).</source>
        <translation>Aquesta libtorch no té CUDA (es va compilar sense, o no es veu cap dispositiu ni controlador CUDA), així que les execucions van a la CPU. Per entrenar en una GPU, compileu Anatomist amb una libtorch amb CUDA (vegeu el README).</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ExportController</name>
    <message>
        <source>Export failed</source>
        <translation>Ha fallat l&apos;exportació</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Cancel·lat; no s&apos;ha escrit res.</translation>
    </message>
    <message>
        <source>There is no model named %1 to export.</source>
        <translation>No hi ha cap model anomenat %1 per exportar.</translation>
    </message>
    <message>
        <source>Choose where to write the export.</source>
        <translation>Trieu on escriure l&apos;exportació.</translation>
    </message>
    <message>
        <source>GGUF type %1: use f32, f16, bf16 or q8_0.</source>
        <translation>Tipus GGUF %1: feu servir f32, f16, bf16 o q8_0.</translation>
    </message>
    <message>
        <source>Exporting %1 → %2</source>
        <translation>Exportant %1 → %2</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Escrit %1</translation>
    </message>
    <message>
        <source>%1 is inside the base model&apos;s folder; choose a place outside it.</source>
        <translation>%1 és dins de la carpeta del model base; trieu un lloc fora d&apos;ella.</translation>
    </message>
    <message>
        <source>%1 cannot be written as GGUF: %2. Export it as a Hugging Face folder instead.</source>
        <translation>%1 no es pot escriure com a GGUF: %2. Exporteu-lo com a carpeta de Hugging Face.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::JobRunner</name>
    <message>
        <source>Out of memory.</source>
        <translation>Memòria insuficient.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::LogitLensController</name>
    <message>
        <source>Type a prompt first.</source>
        <translation>Escriviu primer un text d’entrada.</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lent de logits</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::MainWindow</name>
    <message>
        <source>Loading %1…</source>
        <translation>Carregant %1…</translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation>%1 · %2 paràmetres</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>No s&apos;ha pogut obrir %1</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>No s&apos;ha pogut obrir el model</translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation>%1

%2</translation>
    </message>
    <message>
        <source>Layer similarity failed</source>
        <translation>Ha fallat la similitud entre capes</translation>
    </message>
    <message>
        <source>About Anatomist</source>
        <translation>Quant a Anatomist</translation>
    </message>
    <message>
        <source>&lt;b&gt;Anatomist&lt;/b&gt; %1&lt;br&gt;A desktop workbench for the anatomy of language models: module trees, layer similarity and more.</source>
        <translation>&lt;b&gt;Anatomist&lt;/b&gt; %1&lt;br&gt;Un banc de treball d&apos;escriptori per a l&apos;anatomia dels models de llenguatge: arbres de mòduls, similitud entre capes i més.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tasca en curs</numerusform>
            <numerusform>%n tasques en curs</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancel·lat: %1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Resum</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capes</translation>
    </message>
    <message>
        <source>Modules</source>
        <translation>Mòduls</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalls</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tasques</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fitxer</translation>
    </message>
    <message>
        <source>&amp;Open folder…</source>
        <translation>&amp;Obre una carpeta…</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>Obre una carpeta de model de Hugging Face</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Obre &amp;recent</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Buida la llista</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Surt</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>&amp;Anàlisi</translation>
    </message>
    <message>
        <source>Run &amp;layer similarity</source>
        <translation>Calcula la similitud entre &amp;capes</translation>
    </message>
    <message>
        <source>&amp;Cancel all jobs</source>
        <translation>&amp;Cancel·la totes les tasques</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualitza</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;About Anatomist</source>
        <translation>&amp;Quant a Anatomist</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>Obre una carpeta de model</translation>
    </message>
    <message>
        <source>model</source>
        <translation>model</translation>
    </message>
    <message>
        <source>Variant %1 added</source>
        <translation>Variant %1 afegida</translation>
    </message>
    <message>
        <source>Discarded the result of %1: the model changed meanwhile</source>
        <translation>S&apos;ha descartat el resultat de %1: el model ha canviat mentrestant</translation>
    </message>
    <message>
        <source>Pruning plan</source>
        <translation>Pla de poda</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variants</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edita</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Desfés</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Refés</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportat a %1</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>Generació</translation>
    </message>
    <message>
        <source>&amp;Export variant…</source>
        <translation>&amp;Exporta la variant…</translation>
    </message>
    <message>
        <source>Write the base or a variant as a Hugging Face folder or a GGUF file</source>
        <translation>Escriu la base o una variant com a carpeta de Hugging Face o fitxer GGUF</translation>
    </message>
    <message>
        <source>%1[*] — Anatomist</source>
        <translation>%1[*] — Anatomist</translation>
    </message>
    <message>
        <source>Added to the pruning plan</source>
        <translation>Afegit al pla de poda</translation>
    </message>
    <message>
        <source>Session %1 opened</source>
        <translation>Sessió %1 oberta</translation>
    </message>
    <message>
        <source>Open &amp;session…</source>
        <translation>Obre una &amp;sessió…</translation>
    </message>
    <message>
        <source>Recent s&amp;essions</source>
        <translation>S&amp;essions recents</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>&amp;Desa la sessió</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>Desa la sessió &amp;com a…</translation>
    </message>
    <message>
        <source>Anatomist[*]</source>
        <translation>Anatomist[*]</translation>
    </message>
    <message>
        <source>&amp;%1 %2 (missing)</source>
        <translation>&amp;%1 %2 (no existeix)</translation>
    </message>
    <message>
        <source>%1 no longer exists</source>
        <translation>%1 ja no existeix</translation>
    </message>
    <message>
        <source>Could not open the session</source>
        <translation>No s&apos;ha pogut obrir la sessió</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent sessions.</source>
        <translation>%1 ja no existeix; s&apos;ha tret de les sessions recents.</translation>
    </message>
    <message>
        <source>Open a session</source>
        <translation>Obre una sessió</translation>
    </message>
    <message>
        <source>Anatomist sessions (*.anatomist);;JSON (*.json);;All files (*)</source>
        <translation>Sessions d&apos;Anatomist (*.anatomist);;JSON (*.json);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>Desa la sessió</translation>
    </message>
    <message>
        <source>Anatomist sessions (*.anatomist);;All files (*)</source>
        <translation>Sessions d&apos;Anatomist (*.anatomist);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>Sessió desada a %1</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Canvis sense desar</translation>
    </message>
    <message>
        <source>The plan or the variants changed since the session was saved. Save the session?</source>
        <translation>El pla o les variants han canviat des que es va desar la sessió. Voleu desar la sessió?</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>Destil·lació</translation>
    </message>
    <message>
        <source>Stop the distillation?</source>
        <translation>Aturar la destil·lació?</translation>
    </message>
    <message>
        <source>A distillation is running. Stop it now? A checkpoint is kept in %1, and Continue in the Distillation tab picks up from there.</source>
        <translation>Hi ha una destil·lació en curs. L&apos;aturem ara? Es desa un punt de control a %1, i Continua a la pestanya Destil·lació segueix des d&apos;allà.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so no text can be run through it.</source>
        <translation>Aquesta carpeta de model no té tokenitzador, així que no s&apos;hi pot fer passar text.</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>Anàlisi</translation>
    </message>
    <message>
        <source>Layer similarity, activations, contrastive pairs, neuron importance, logit lens</source>
        <translation>Similitud entre capes, activacions, parells contrastius, importància de neurones, lent de logits</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>Poda</translation>
    </message>
    <message>
        <source>Pruning plan, variants, healing by distillation, comparison, playground</source>
        <translation>Pla de poda, variants, recuperació per destil·lació, comparació, generació</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>Similitud</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Pla</translation>
    </message>
    <message>
        <source>Open &amp;GGUF file…</source>
        <translation>Obre un fitxer &amp;GGUF…</translation>
    </message>
    <message>
        <source>Open a llama.cpp GGUF model file</source>
        <translation>Obre un fitxer de model GGUF de llama.cpp</translation>
    </message>
    <message>
        <source>No model — open a folder (Ctrl+O) or a GGUF file, or drop one here</source>
        <translation>Cap model: obriu una carpeta (Ctrl+O) o un fitxer GGUF, o deixeu-lo anar aquí</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf *.GGUF);;All files (*)</source>
        <translation>Models GGUF (*.gguf *.GGUF);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>Obre un model GGUF</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ModelController</name>
    <message>
        <source>Loading %1</source>
        <translation>Carregant %1</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipus</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>%1 (%2 % of the model)</source>
        <translation>%1 (%2 % del model)</translation>
    </message>
    <message>
        <source>Removing it saves</source>
        <translation>Eliminar-lo estalvia</translation>
    </message>
    <message>
        <source>%1 parameters, %2 in float32, %3 in bfloat16</source>
        <translation>%1 paràmetres, %2 en float32, %3 en bfloat16</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>Fills</translation>
    </message>
    <message>
        <source>There is no file or folder at this path.</source>
        <translation>No hi ha cap fitxer ni carpeta en aquest camí.</translation>
    </message>
    <message>
        <source>Weight statistics of %1</source>
        <translation>Estadístiques de pesos de %1</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>el model</translation>
    </message>
    <message>
        <source>%1 is not a model: open a model folder, its config.json or a .gguf file.</source>
        <translation>%1 no és un model: obriu una carpeta de model, el seu config.json o un fitxer .gguf.</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Emmagatzemat</translation>
    </message>
    <message>
        <source>%1, %2 in the file</source>
        <translation>%1, %2 al fitxer</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::NeuronController</name>
    <message>
        <source>activation norms measured on the built-in sample text</source>
        <translation>normes d’activació mesurades en el text de mostra integrat</translation>
    </message>
    <message>
        <source>bias measured on the prompt pairs of the Contrastive pairs tab</source>
        <translation>biaix mesurat en els parells de la pestanya Parells contrastius</translation>
    </message>
    <message>
        <source>computed from the weights alone</source>
        <translation>calculat només a partir dels pesos</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Obriu primer un model.</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importància de neurones</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::PlanController</name>
    <message>
        <source>The pruning engine is not part of this build, so a plan can be made and saved (anatomist-cli prune --plan) but not applied here.</source>
        <translation>El motor de poda no forma part d&apos;aquesta compilació: es pot crear i desar un pla (anatomist-cli prune --plan), però no aplicar-lo aquí.</translation>
    </message>
    <message>
        <source>Could not apply the plan</source>
        <translation>No s&apos;ha pogut aplicar el pla</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>the model as loaded</source>
        <translation>el model tal com s&apos;ha carregat</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>variant</translation>
    </message>
    <message>
        <source>This plan is for another model</source>
        <translation>Aquest pla és per a un altre model</translation>
    </message>
    <message>
        <source>Pruning → %1</source>
        <translation>Poda → %1</translation>
    </message>
    <message>
        <source>Could not measure perplexity</source>
        <translation>No s&apos;ha pogut mesurar la perplexitat</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so the sample text cannot be turned into tokens.</source>
        <translation>Aquesta carpeta de model no té tokenitzador, així que el text de mostra no es pot convertir en tokens.</translation>
    </message>
    <message numerus="yes">
        <source>Perplexity of %n model(s)</source>
        <translation>
            <numerusform>Perplexitat de %n model</numerusform>
            <numerusform>Perplexitat de %n models</numerusform>
        </translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>totes les capes</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>capa %1</translation>
    </message>
    <message>
        <source>Remove %1 % of the MLP neurons of %2 (%3)</source>
        <translation>Elimina el %1 % de les neurones MLP de %2 (%3)</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::SessionController</name>
    <message>
        <source>%1: the model %2 could not be opened: %3</source>
        <translation>%1: no s&apos;ha pogut obrir el model %2: %3</translation>
    </message>
    <message>
        <source>Could not restore the variants</source>
        <translation>No s&apos;han pogut restaurar les variants</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Could not save the session</source>
        <translation>No s&apos;ha pogut desar la sessió</translation>
    </message>
    <message>
        <source>Open a model first: a session starts from a model.</source>
        <translation>Obriu primer un model: una sessió parteix d&apos;un model.</translation>
    </message>
    <message>
        <source>%1: %2 no longer fits the model %3.
%4</source>
        <translation>%1: %2 ja no encaixa amb el model %3.
%4</translation>
    </message>
    <message>
        <source>Could not open the session</source>
        <translation>No s&apos;ha pogut obrir la sessió</translation>
    </message>
    <message>
        <source>%1: the model %2 is missing (moved or deleted?)</source>
        <translation>%1: falta el model %2 (s&apos;ha mogut o esborrat?)</translation>
    </message>
    <message>
        <source>%1: the folder of variant %2 is missing: %3</source>
        <translation>%1: falta la carpeta de la variant %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n variant(s)</source>
        <translation>
            <numerusform>Restaurant %n variant</numerusform>
            <numerusform>Restaurant %n variants</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>anatomist::gui::SimilarityController</name>
    <message>
        <source>Open a model first.</source>
        <translation>Obriu primer un model.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so a text dataset cannot be turned into tokens. Add tokenizer.model or tokenizer.json to %1.</source>
        <translation>Aquesta carpeta de model no té tokenitzador, així que un conjunt de textos no es pot convertir en tokens. Afegiu tokenizer.model o tokenizer.json a %1.</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capes</translation>
    </message>
    <message>
        <source>The comparison dataset could not be measured; the main result is shown.

%1</source>
        <translation>No s&apos;ha pogut mesurar el conjunt de comparació; es mostra el resultat principal.

%1</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ViewController</name>
    <message>
        <source>Open a model first.</source>
        <translation>Obriu primer un model.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so a prompt cannot be turned into tokens. Add tokenizer.model or tokenizer.json to %1.</source>
        <translation>Aquesta carpeta de model no té tokenitzador, així que un text no es pot convertir en tokens. Afegiu tokenizer.model o tokenizer.json a %1.</translation>
    </message>
    <message>
        <source>The prompt has %1 tokens but this model reads at most %2. Shorten it: it is not cut.</source>
        <translation>El text té %1 tokens, però aquest model en llegeix com a màxim %2. Escurceu-lo: no es retalla automàticament.</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ActivationView</name>
    <message>
        <source>token %1 “%2”
neuron %3: %4</source>
        <translation>token %1 «%2»
neurona %3: %4</translation>
    </message>
    <message>
        <source>neurons %1–%2 (colour = their mean): %3</source>
        <translation>neurones %1–%2 (color = la seva mitjana): %3</translation>
    </message>
    <message>
        <source>layer %1: mean |activation| %2 (click to show it)</source>
        <translation>capa %1: |activació| mitjana %2 (feu clic per mostrar-la)</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Text:</translation>
    </message>
    <message>
        <source>Type a prompt, then press Run</source>
        <translation>Escriviu un text i premeu Executa</translation>
    </message>
    <message>
        <source>Component:</source>
        <translation>Component:</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>Neuron bins:</source>
        <translation>Agrupa neurones:</translation>
    </message>
    <message>
        <source>Clip colours at percentile:</source>
        <translation>Retalla els colors al percentil:</translation>
    </message>
    <message>
        <source>Values beyond this percentile of |activation| get the end colour, so that a few outliers do not wash out the map</source>
        <translation>Els valors més enllà d’aquest percentil de |activació| reben el color de l’extrem, perquè uns pocs valors atípics no apaguin el mapa</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exacte</translation>
    </message>
    <message>
        <source>%1 neurons</source>
        <translation>%1 neurones</translation>
    </message>
    <message>
        <source>Wide layers are shown as the mean of each bin until you zoom in to %1 neurons or fewer (mouse wheel on the map; double-click resets)</source>
        <translation>Les capes amples es mostren com la mitjana de cada grup fins que s’amplia a %1 neurones o menys (roda del ratolí sobre el mapa; doble clic restableix)</translation>
    </message>
    <message>
        <source>attn_norm: input of attention · attn_out: attention output · mlp_out: MLP output · gate/up: MLP projections · act: input of down_proj · out: residual stream after the block · q/k/v: attention projections</source>
        <translation>attn_norm: entrada de l’atenció · attn_out: sortida de l’atenció · mlp_out: sortida del MLP · gate/up: projeccions del MLP · act: entrada de down_proj · out: flux residual després del bloc · q/k/v: projeccions de l’atenció</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Executant…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Executa</translation>
    </message>
    <message>
        <source>Capture the activations of this prompt</source>
        <translation>Captura les activacions d’aquest text</translation>
    </message>
    <message>
        <source>Running the model on the prompt…</source>
        <translation>Executant el model sobre el text…</translation>
    </message>
    <message>
        <source>Type a prompt and press Run to see, for every token, the activations of each neuron of the chosen component, layer by layer.</source>
        <translation>Escriviu un text i premeu Executa per veure, per a cada token, les activacions de cada neurona del component triat, capa a capa.</translation>
    </message>
    <message>
        <source>%1 · %2 tokens × %3 neurons · layer %4 of %5 · mean |activation| %6</source>
        <translation>%1 · %2 tokens × %3 neurones · capa %4 de %5 · |activació| mitjana %6</translation>
    </message>
    <message>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <source>neuron (mean of each %1; zoom in for single neurons)</source>
        <translation>neurona (mitjana de cada %1; amplieu per veure neurones soltes)</translation>
    </message>
    <message>
        <source>neuron</source>
        <translation>neurona</translation>
    </message>
    <message>
        <source>%1 (clipped at percentile %2)</source>
        <translation>%1 (retallat al percentil %2)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <source>mean |activation|</source>
        <translation>|activació| mitjana</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activacions</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::CompareView</name>
    <message>
        <source>Export plot</source>
        <translation>Exporta el gràfic</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imatge PNG (*.png);;Imatge SVG (*.svg);;Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Ha fallat l&apos;exportació</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s&apos;ha pogut escriure %1.</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Exporta les dades</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>Taula CSV (*.csv)</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>sense mesurar</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <source>B: %1</source>
        <translation>B: %1</translation>
    </message>
    <message>
        <source>Δ (B − A)</source>
        <translation>Δ (B − A)</translation>
    </message>
    <message>
        <source>same</source>
        <translation>iguals</translation>
    </message>
    <message>
        <source>differ</source>
        <translation>diferents</translation>
    </message>
    <message>
        <source>base layer</source>
        <translation>capa de la base</translation>
    </message>
    <message>
        <source>block cosine cos(x_in, x_out)</source>
        <translation>cosinus del bloc cos(x_in, x_out)</translation>
    </message>
    <message>
        <source>Similarity curves appear after Measure.</source>
        <translation>Les corbes de similitud apareixen després de Mesura.</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>capa %1</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>eliminada</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>canviada</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>es conserva</translation>
    </message>
    <message>
        <source>bypassed</source>
        <translation>omesa</translation>
    </message>
    <message>
        <source>fewer heads</source>
        <translation>menys caps</translation>
    </message>
    <message>
        <source>%1 heads</source>
        <translation>%1 caps</translation>
    </message>
    <message>
        <source>narrower</source>
        <translation>més estreta</translation>
    </message>
    <message>
        <source>%1 neurons</source>
        <translation>%1 neurones</translation>
    </message>
    <message>
        <source>Removed parts: pick a variant to see what it removed from the base.</source>
        <translation>Parts eliminades: trieu una variant per veure què ha tret de la base.</translation>
    </message>
    <message>
        <source>versus</source>
        <translation>enfront de</translation>
    </message>
    <message>
        <source>Model A (the reference of the delta column)</source>
        <translation>Model A (la referència de la columna Δ)</translation>
    </message>
    <message>
        <source>Model B</source>
        <translation>Model B</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Mesura</translation>
    </message>
    <message>
        <source>Perplexity on the built-in sample, prefill and decode speed, and layer similarity of both models, in the background</source>
        <translation>Perplexitat amb la mostra integrada, velocitat de preompliment i de descodificació, i similitud de capes dels dos models, en segon pla</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exporta el gràfic…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exporta les dades…</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memòria</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>Capes del descodificador</translation>
    </message>
    <message>
        <source>MLP widths</source>
        <translation>Amplades MLP</translation>
    </message>
    <message>
        <source>Perplexity (sample)</source>
        <translation>Perplexitat (mostra)</translation>
    </message>
    <message>
        <source>Prefill tokens/s</source>
        <translation>Preompliment, tokens/s</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>Descodificació, tokens/s</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Part</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Mida</translation>
    </message>
    <message>
        <source>What “%1” keeps of the base (removed parts greyed out)</source>
        <translation>Què conserva «%1» de la base (el que s&apos;ha eliminat, en gris)</translation>
    </message>
    <message>
        <source>Block similarity by base layer: %1 and %2</source>
        <translation>Similitud de blocs per capa de la base: %1 i %2</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ContrastiveView</name>
    <message>
        <source>layer %1</source>
        <translation>capa %1</translation>
    </message>
    <message>
        <source>Load prompt pairs</source>
        <translation>Carrega parells de textos</translation>
    </message>
    <message>
        <source>Prompt pairs (*.jsonl *.ndjson *.csv);;All files (*)</source>
        <translation>Parells de textos (*.jsonl *.ndjson *.csv);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>%1 max</source>
        <translation>%1 màx.</translation>
    </message>
    <message>
        <source>layer (click to show its PCA)</source>
        <translation>capa (feu clic per veure’n la PCA)</translation>
    </message>
    <message>
        <source>mean |A − B| (solid: mean, dashed: max across pairs)</source>
        <translation>|A − B| mitjana (contínua: mitjana, discontínua: màxim entre parells)</translation>
    </message>
    <message>
        <source>mean |A − B|</source>
        <translation>|A − B| mitjana</translation>
    </message>
    <message>
        <source>PC1</source>
        <translation>CP1</translation>
    </message>
    <message>
        <source>PC2</source>
        <translation>CP2</translation>
    </message>
    <message>
        <source>Computing the PCA of this pair…</source>
        <translation>Calculant la PCA d’aquest parell…</translation>
    </message>
    <message>
        <source>PC1 (%1 % of variance)</source>
        <translation>CP1 (%1 % de la variància)</translation>
    </message>
    <message>
        <source>PC2 (%1 % of variance)</source>
        <translation>CP2 (%1 % de la variància)</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>component</source>
        <translation>component</translation>
    </message>
    <message>
        <source>mean over layers</source>
        <translation>mitjana sobre capes</translation>
    </message>
    <message>
        <source>max across pairs</source>
        <translation>màxim entre parells</translation>
    </message>
    <message>
        <source>last / first layer</source>
        <translation>última / primera capa</translation>
    </message>
    <message>
        <source>layer of max</source>
        <translation>capa del màxim</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>mitjana</translation>
    </message>
    <message>
        <source>max</source>
        <translation>màx.</translation>
    </message>
    <message>
        <source>min</source>
        <translation>mín.</translation>
    </message>
    <message>
        <source>std</source>
        <translation>desv. típ.</translation>
    </message>
    <message>
        <source>L1</source>
        <translation>L1</translation>
    </message>
    <message>
        <source>L2</source>
        <translation>L2</translation>
    </message>
    <message>
        <source>all components</source>
        <translation>tots els components</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: token by token.&lt;/b&gt; Both prompts have %1 tokens; row t of A is compared with row t of B.</source>
        <translation>&lt;b&gt;Alineació: token a token.&lt;/b&gt; Tots dos textos tenen %1 tokens; la fila t d’A es compara amb la fila t de B.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: common prefix and suffix.&lt;/b&gt; A has %1 tokens and B %2: the first %3 and the last %4 tokens are compared row by row, and the differing spans (A tokens %5–%6, B tokens %7–%8) by their means.</source>
        <translation>&lt;b&gt;Alineació: prefix i sufix comuns.&lt;/b&gt; A té %1 tokens i B %2: els %3 primers i els %4 últims tokens es comparen fila a fila, i els trams que difereixen (tokens %5–%6 d’A, tokens %7–%8 de B) per les seves mitjanes.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: mean-pooled.&lt;/b&gt; A has %1 tokens and B %2; each prompt&apos;s token vectors are averaged and the two means compared.</source>
        <translation>&lt;b&gt;Alineació: mitjana.&lt;/b&gt; A té %1 tokens i B %2; es fa la mitjana dels vectors dels tokens de cada text i es comparen les dues mitjanes.</translation>
    </message>
    <message>
        <source>Statistics are over every element of |A − B| of all layers.</source>
        <translation>Les estadístiques són sobre tots els elements de |A − B| de totes les capes.</translation>
    </message>
    <message>
        <source>Prompt A</source>
        <translation>Text A</translation>
    </message>
    <message>
        <source>Prompt B</source>
        <translation>Text B</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoria</translation>
    </message>
    <message>
        <source>Load pairs…</source>
        <translation>Carrega parells…</translation>
    </message>
    <message>
        <source>Read a pair set: JSONL with &quot;a&quot;, &quot;b&quot; and optional &quot;category&quot;, or CSV with a header row naming those columns</source>
        <translation>Llegeix un conjunt de parells: JSONL amb &quot;a&quot;, &quot;b&quot; i &quot;category&quot; opcional, o CSV amb una fila de capçalera que anomeni aquestes columnes</translation>
    </message>
    <message>
        <source>Add pair</source>
        <translation>Afegeix un parell</translation>
    </message>
    <message>
        <source>Remove pair</source>
        <translation>Treu el parell</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Executant…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Executa</translation>
    </message>
    <message>
        <source>Compare the activations of every pair (attn_out, mlp_out, out)</source>
        <translation>Compara les activacions de cada parell (attn_out, mlp_out, out)</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostra:</translation>
    </message>
    <message>
        <source>selected pair</source>
        <translation>parell seleccionat</translation>
    </message>
    <message>
        <source>pair %1: %2</source>
        <translation>parell %1: %2</translation>
    </message>
    <message>
        <source>category “%1”</source>
        <translation>categoria «%1»</translation>
    </message>
    <message>
        <source>PCA of:</source>
        <translation>PCA de:</translation>
    </message>
    <message>
        <source>at layer:</source>
        <translation>a la capa:</translation>
    </message>
    <message>
        <source>Comparing the pairs…</source>
        <translation>Comparant els parells…</translation>
    </message>
    <message>
        <source>Type prompt pairs that differ in one attribute (or load a pair set) and press Run to see where in the model the two prompts diverge.</source>
        <translation>Escriviu parells de textos que difereixin en un atribut (o carregueu un conjunt de parells) i premeu Executa per veure en quin punt del model divergeixen els dos textos.</translation>
    </message>
    <message>
        <source>increasing</source>
        <translation>creixent</translation>
    </message>
    <message>
        <source>Pairs in this group: %1. Each pair&apos;s alignment is shown when it is selected.</source>
        <translation>Parells en aquest grup: %1. L’alineació de cada parell es mostra en seleccionar-lo.</translation>
    </message>
    <message>
        <source>Pairs: %1</source>
        <translation>Parells: %1</translation>
    </message>
    <message>
        <source>Pairs: %1 (built-in examples)</source>
        <translation>Parells: %1 (exemples integrats)</translation>
    </message>
    <message>
        <source>Pairs: %1 (from %2)</source>
        <translation>Parells: %1 (de %2)</translation>
    </message>
    <message>
        <source>all pairs (%1): mean and max across pairs</source>
        <translation>tots els parells (%1): mitjana i màxim entre parells</translation>
    </message>
    <message>
        <source>Pairs compared: %1, in %2 s</source>
        <translation>Parells comparats: %1, en %2 s</translation>
    </message>
    <message>
        <source>Audit report written to %1</source>
        <translation>Informe d&apos;auditoria escrit a %1</translation>
    </message>
    <message>
        <source>Export audit report</source>
        <translation>Exporta l&apos;informe d&apos;auditoria</translation>
    </message>
    <message>
        <source>Pairs: %1 (all default sets)</source>
        <translation>Parells: %1 (tots els conjunts predeterminats)</translation>
    </message>
    <message>
        <source>Pairs: %1 (default set “%2”)</source>
        <translation>Parells: %1 (conjunt predeterminat «%2»)</translation>
    </message>
    <message>
        <source>Pair set:</source>
        <translation>Conjunt de parells:</translation>
    </message>
    <message>
        <source>The project&apos;s own prompt pairs for one bias category, or the built-in examples</source>
        <translation>Els parells de prompts propis del projecte per a una categoria de biaix, o els exemples integrats</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>exemples</translation>
    </message>
    <message>
        <source>all categories</source>
        <translation>totes les categories</translation>
    </message>
    <message>
        <source>Export audit report…</source>
        <translation>Exporta l&apos;informe d&apos;auditoria…</translation>
    </message>
    <message>
        <source>Per layer and PCA</source>
        <translation>Per capa i PCA</translation>
    </message>
    <message>
        <source>Difference heatmap</source>
        <translation>Mapa de calor de diferències</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF document (*.pdf);;JSON data (*.json)</source>
        <translation>Informe HTML (*.html);;Document PDF (*.pdf);;Dades JSON (*.json)</translation>
    </message>
    <message>
        <source>Run the fairness audit on these pairs and write a self-contained HTML report, a PDF or the JSON numbers (the same as anatomist-cli audit)</source>
        <translation>Executar l&apos;auditoria d&apos;equitat amb aquests parells i escriure un informe HTML autònom, un PDF o els números en JSON (el mateix que anatomist-cli audit)</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DifferenceHeatmap</name>
    <message>
        <source>pair %1 (%2)
layer %3
%4 of %5: %6</source>
        <translation>parell %1 (%2)
capa %3
%4 de %5: %6</translation>
    </message>
    <message>
        <source>layer (click a cell to show that pair and layer)</source>
        <translation>capa (feu clic en una cel·la per veure aquell parell i aquella capa)</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Exporta el gràfic</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imatge PNG (*.png);;Imatge SVG (*.svg);;Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Ha fallat l&apos;exportació</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s&apos;ha pogut escriure %1.</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>Mètrica:</translation>
    </message>
    <message>
        <source>cosine distance</source>
        <translation>distància cosinus</translation>
    </message>
    <message>
        <source>mean |A − B|</source>
        <translation>|A − B| mitjana</translation>
    </message>
    <message>
        <source>Cosine distance: 1 − cos of the aligned token vectors, averaged; it ignores the size of the activations. Mean |A − B|: the mean absolute difference, which grows with the activations.</source>
        <translation>Distància cosinus: 1 − cos dels vectors de tokens alineats, en mitjana; no depèn de la mida de les activacions. |A − B| mitjana: la diferència absoluta mitjana, que creix amb les activacions.</translation>
    </message>
    <message>
        <source>Component:</source>
        <translation>Component:</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exporta el gràfic…</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DistillPanel</name>
    <message>
        <source>Resume a distillation run</source>
        <translation>Reprendre una execució de destil·lació</translation>
    </message>
    <message>
        <source>Not running. Choose a student and press Start.</source>
        <translation>Sense executar. Trieu un alumne i premeu Inicia.</translation>
    </message>
    <message>
        <source>Paused before the first step.</source>
        <translation>En pausa abans del primer pas.</translation>
    </message>
    <message>
        <source>Preparing: loading the teacher and the student, reading the text…</source>
        <translation>Preparant: carregant el mestre i l&apos;alumne, llegint el text…</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3 tokens/s</source>
        <translation>Pas %1 de %2 · %3 tokens/s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source> · about %1 left</source>
        <translation> · en queden uns %1</translation>
    </message>
    <message>
        <source> · paused</source>
        <translation> · en pausa</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprèn</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Carpeta d&apos;execució</translation>
    </message>
    <message>
        <source>Text for distillation</source>
        <translation>Text per a la destil·lació</translation>
    </message>
    <message>
        <source>Text (*.txt *.jsonl *.ndjson);;All files (*)</source>
        <translation>Text (*.txt *.jsonl *.ndjson);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Export the curve data</source>
        <translation>Exporta les dades de les corbes</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the plot</source>
        <translation>Exporta el gràfic</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.pdf)</source>
        <translation>Imatges (*.png *.svg *.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>L&apos;exportació ha fallat</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s&apos;ha pogut escriure %1.</translation>
    </message>
    <message>
        <source>Heal a variant by distillation</source>
        <translation>Recuperar una variant per destil·lació</translation>
    </message>
    <message>
        <source>The student (a pruned variant) learns to reproduce the teacher (the base model) on the training text. The run continues in the background; its folder keeps a checkpoint, so a stopped run can be resumed.</source>
        <translation>L&apos;alumne (una variant esporgada) aprèn a reproduir el mestre (el model base) sobre el text d&apos;entrenament. L&apos;execució continua en segon pla; la seva carpeta desa un punt de control, així que una execució aturada es pot reprendre.</translation>
    </message>
    <message>
        <source>No student yet: mark layers or neurons to remove, press Apply in the Pruning plan tab, then heal the variant here.</source>
        <translation>Encara no hi ha alumne: marqueu capes o neurones per treure, premeu Aplica a la pestanya Pla d&apos;esporgada i després recupereu aquí la variant.</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>Teacher:</source>
        <translation>Mestre:</translation>
    </message>
    <message>
        <source>The base model, as loaded: it is only read, never changed.</source>
        <translation>El model base, tal com s&apos;ha carregat: només es llegeix, mai no es modifica.</translation>
    </message>
    <message>
        <source>Student:</source>
        <translation>Alumne:</translation>
    </message>
    <message>
        <source>The variant to heal. It is copied into the run folder; the healed copy becomes a new variant.</source>
        <translation>La variant que es recupera. Es copia a la carpeta d&apos;execució; la còpia recuperada esdevé una variant nova.</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Training text:</source>
        <translation>Text d&apos;entrenament:</translation>
    </message>
    <message>
        <source>built-in demo corpus</source>
        <translation>corpus de demostració integrat</translation>
    </message>
    <message>
        <source>A .txt file (documents separated by blank lines) or a .jsonl file (one object with a &quot;text&quot; field per line). Empty: the built-in demo corpus.</source>
        <translation>Un fitxer .txt (documents separats per línies en blanc) o un fitxer .jsonl (un objecte amb un camp &quot;text&quot; per línia). Buit: el corpus de demostració integrat.</translation>
    </message>
    <message>
        <source>Held-out text:</source>
        <translation>Text de validació:</translation>
    </message>
    <message>
        <source>built-in sample text</source>
        <translation>text de mostra integrat</translation>
    </message>
    <message>
        <source>Text the student never trains on: its perplexity is measured on it during the run, with the teacher&apos;s as the reference line. Empty: the built-in sample.</source>
        <translation>Text amb què l&apos;alumne no entrena mai: se&apos;n mesura la perplexitat durant l&apos;execució, amb la del mestre com a línia de referència. Buit: la mostra integrada.</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Trieu un fitxer</translation>
    </message>
    <message>
        <source>Loss = α·CE + β·KL + γ·hidden</source>
        <translation>Pèrdua = α·CE + β·KL + γ·oculta</translation>
    </message>
    <message>
        <source>KL weight (β):</source>
        <translation>Pes de KL (β):</translation>
    </message>
    <message>
        <source>Kullback–Leibler divergence from the teacher&apos;s next-token distribution to the student&apos;s, both softened by the temperature (scaled by T²). Curve: &quot;kl&quot;.</source>
        <translation>Divergència de Kullback–Leibler de la distribució del token següent del mestre a la de l&apos;alumne, totes dues suavitzades per la temperatura (escalada per T²). Corba: &quot;kl&quot;.</translation>
    </message>
    <message>
        <source>CE weight (α):</source>
        <translation>Pes de CE (α):</translation>
    </message>
    <message>
        <source>Cross-entropy of the student on the training text (predicting the actual next token). Curve: &quot;ce&quot;.</source>
        <translation>Entropia creuada de l&apos;alumne sobre el text d&apos;entrenament (predir el token següent real). Corba: &quot;ce&quot;.</translation>
    </message>
    <message>
        <source>Hidden weight (γ):</source>
        <translation>Pes ocult (γ):</translation>
    </message>
    <message>
        <source>Mean of 1 − cosine between each student layer&apos;s output and the output of the teacher layer it replaces (the layers the plan kept). 0 turns it off. Curve: &quot;hidden&quot;.</source>
        <translation>Mitjana d&apos;1 − cosinus entre la sortida de cada capa de l&apos;alumne i la de la capa del mestre que substitueix (les capes que ha conservat el pla). 0 el desactiva. Corba: &quot;hidden&quot;.</translation>
    </message>
    <message>
        <source>Temperature (T):</source>
        <translation>Temperatura (T):</translation>
    </message>
    <message>
        <source>Softens both distributions before the KL term; 2 is the usual value.</source>
        <translation>Suavitza les dues distribucions abans del terme KL; 2 és el valor habitual.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entrenament</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Passos:</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> passos</translation>
    </message>
    <message>
        <source>Optimizer steps; each one sees batch × accumulation (4) sequences.</source>
        <translation>Passos de l&apos;optimitzador; cadascun veu lot × acumulació (4) seqüències.</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Taxa d&apos;aprenentatge:</translation>
    </message>
    <message>
        <source>Peak AdamW learning rate: 5 % linear warm-up, then cosine decay to 5 % of it.</source>
        <translation>Taxa d&apos;aprenentatge màxima d&apos;AdamW: escalfament lineal del 5 % i després caiguda cosinus fins al 5 % d&apos;aquesta.</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>Lot:</translation>
    </message>
    <message>
        <source> sequences</source>
        <translation> seqüències</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>Longitud de seqüència:</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Run folder:</source>
        <translation>Carpeta d&apos;execució:</translation>
    </message>
    <message>
        <source>new folder under runs/</source>
        <translation>carpeta nova a runs/</translation>
    </message>
    <message>
        <source>Where the checkpoint, the event log and the healed model are written. Empty: a new folder named after the date and time in the application&apos;s runs folder.</source>
        <translation>On s&apos;escriuen el punt de control, el registre d&apos;esdeveniments i el model recuperat. Buit: una carpeta nova amb la data i l&apos;hora a la carpeta d&apos;execucions de l&apos;aplicació.</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Trieu una carpeta</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Inicia</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>Stops the run after the current step and keeps a checkpoint.</source>
        <translation>Atura l&apos;execució després del pas actual i desa un punt de control.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continua</translation>
    </message>
    <message>
        <source>Continues the stopped run from its checkpoint, on the same curve.</source>
        <translation>Continua l&apos;execució aturada des del seu punt de control, sobre la mateixa corba.</translation>
    </message>
    <message>
        <source>Resume a run…</source>
        <translation>Reprèn una execució…</translation>
    </message>
    <message>
        <source>Continues a run from the checkpoint in its folder.</source>
        <translation>Continua una execució des del punt de control de la seva carpeta.</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exporta el gràfic…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exporta les dades…</translation>
    </message>
    <message>
        <source>Pause is not available for a run on several processes: Cancel keeps a checkpoint, and Continue goes on from it.</source>
        <translation>La pausa no està disponible en una execució amb diversos processos: Cancel·la desa un punt de control i Continua segueix des d&apos;allà.</translation>
    </message>
    <message>
        <source>Holds the run between two steps.</source>
        <translation>Atura l&apos;execució entre dos passos.</translation>
    </message>
    <message>
        <source>Processes:</source>
        <translation>Processos:</translation>
    </message>
    <message>
        <source>1: the run is the window&apos;s own. More: anatomist-cli runs it on that many processes (data-parallel, on PyTorch&apos;s distributed engine); each takes its share of every batch, so the batch must be a multiple of the count. Such a run cannot pause.</source>
        <translation>1: l&apos;execució és de la mateixa finestra. Més: anatomist-cli l&apos;executa en aquest nombre de processos (paral·lelisme de dades, amb el motor distribuït de PyTorch); cadascun pren la seva part de cada lot, així que el lot ha de ser múltiple del nombre. Aquesta execució no es pot posar en pausa.</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>Dispositiu CUDA %1</translation>
    </message>
    <message>
        <source>CUDA (not available)</source>
        <translation>CUDA (no disponible)</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Dispositiu:</translation>
    </message>
    <message>
        <source>Where the teacher and the student run (all processes of a multi-process run use the same kind of device).</source>
        <translation>On s'executen el mestre i l'alumne (tots els processos d'una execució multiprocés fan servir el mateix tipus de dispositiu).</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DurableSave</name>
    <message>
        <source>Could not write %1: %2</source>
        <translation>No s&apos;ha pogut escriure %1: %2</translation>
    </message>
    <message>
        <source>the content could not be produced</source>
        <translation>no s&apos;ha pogut produir el contingut</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ExportDialog</name>
    <message>
        <source>Writes a new folder with &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;model.safetensors&lt;/tt&gt; (the model&apos;s dtype) and the base&apos;s tokenizer files. The folder is written beside the destination and renamed onto it at the end, so a failed or cancelled export leaves nothing half-written.</source>
        <translation>Escriu una carpeta nova amb &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;model.safetensors&lt;/tt&gt; (en el dtype del model) i els fitxers del tokenitzador de la base. La carpeta s&apos;escriu al costat de la destinació i es reanomena sobre ella al final, així que una exportació fallida o cancel·lada no deixa res a mig escriure.</translation>
    </message>
    <message>
        <source>&lt;tt&gt;variant.json&lt;/tt&gt; records the base (path and SHA-256), the plan, the kept layers and the per-layer sizes.</source>
        <translation>&lt;tt&gt;variant.json&lt;/tt&gt; registra la base (camí i SHA-256), el pla, les capes conservades i les mides per capa.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stock transformers cannot load this folder:&lt;/b&gt; its layers differ in size, so config.json also holds %1. Anatomist reads these keys; transformers ignores them and fails on the tensor shapes. For llama.cpp, export as GGUF instead.</source>
        <translation>&lt;b&gt;El transformers estàndard no pot carregar aquesta carpeta:&lt;/b&gt; les seves capes tenen mides diferents, així que config.json també conté %1. Anatomist llegeix aquestes claus; transformers les ignora i falla amb les formes dels tensors. Per a llama.cpp, exporteu com a GGUF.</translation>
    </message>
    <message>
        <source>Every layer has the shape config.json describes, so stock transformers loads the folder (AutoModelForCausalLM.from_pretrained) as well as Anatomist.</source>
        <translation>Totes les capes tenen la forma que descriu config.json, així que el transformers estàndard carrega la carpeta (AutoModelForCausalLM.from_pretrained), igual que Anatomist.</translation>
    </message>
    <message>
        <source>Bypassed attention blocks keep their weights with &lt;tt&gt;o_proj&lt;/tt&gt; set to zero, so stock loaders compute the same outputs; &lt;tt&gt;anatomist_attention_bypass&lt;/tt&gt; lets Anatomist skip those blocks.</source>
        <translation>Els blocs d&apos;atenció omesos conserven els pesos amb &lt;tt&gt;o_proj&lt;/tt&gt; a zero, així que els carregadors estàndard calculen les mateixes sortides; &lt;tt&gt;anatomist_attention_bypass&lt;/tt&gt; permet a Anatomist saltar-se aquests blocs.</translation>
    </message>
    <message>
        <source>Writes one &lt;tt&gt;.gguf&lt;/tt&gt; file with llama.cpp&apos;s tensor names and keys, atomically. Matrices are stored in the chosen type; norms and biases stay F32, and matrices whose rows are not whole Q8_0 blocks fall back to F16, as llama.cpp&apos;s converter does.</source>
        <translation>Escriu un únic fitxer &lt;tt&gt;.gguf&lt;/tt&gt; amb els noms de tensors i les claus de llama.cpp, de manera atòmica. Les matrius es desen en el tipus triat; normes i biaixos queden en F32, i les matrius les files de les quals no són blocs Q8_0 complets passen a F16, com fa el convertidor de llama.cpp.</translation>
    </message>
    <message>
        <source>Bypassed attention blocks are written with &lt;tt&gt;o_proj&lt;/tt&gt; set to zero: llama.cpp computes them (no speed-up there) but they add nothing, so the outputs are the same.</source>
        <translation>Els blocs d&apos;atenció omesos s&apos;escriuen amb &lt;tt&gt;o_proj&lt;/tt&gt; a zero: llama.cpp els calcula (allà no hi ha acceleració) però no sumen res, així que les sortides són les mateixes.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No vocabulary:&lt;/b&gt; the source has no &lt;tt&gt;tokenizer.model&lt;/tt&gt;, so the file holds no tokenizer and llama.cpp cannot turn text into tokens with it.</source>
        <translation>&lt;b&gt;Sense vocabulari:&lt;/b&gt; l&apos;origen no té &lt;tt&gt;tokenizer.model&lt;/tt&gt;, així que el fitxer no porta tokenitzador i llama.cpp no pot convertir text en tokens amb ell.</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Obriu primer un model.</translation>
    </message>
    <message>
        <source>Export as GGUF</source>
        <translation>Exporta com a GGUF</translation>
    </message>
    <message>
        <source>GGUF file (*.gguf)</source>
        <translation>Fitxer GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>New folder for the export</source>
        <translation>Carpeta nova per a l&apos;exportació</translation>
    </message>
    <message>
        <source>Export variant</source>
        <translation>Exporta la variant</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Model:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>&amp;Hugging Face folder</source>
        <translation>Carpeta de &amp;Hugging Face</translation>
    </message>
    <message>
        <source>&amp;GGUF file (llama.cpp)</source>
        <translation>Fitxer &amp;GGUF (llama.cpp)</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Tipus:</translation>
    </message>
    <message>
        <source>Tensor type of the matrices: f32 exact, f16 / bf16 half the size, q8_0 about a quarter</source>
        <translation>Tipus de tensor de les matrius: f32 exacte, f16 / bf16 la meitat de mida, q8_0 al voltant d&apos;una quarta part</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>&amp;Destinació:</translation>
    </message>
    <message>
        <source>A new folder, or a .gguf file</source>
        <translation>Una carpeta nova o un fitxer .gguf</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Navega…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exporta</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tanca</translation>
    </message>
    <message>
        <source>The MLP widths differ between layers: the file uses llama.cpp&apos;s &lt;tt&gt;deci&lt;/tt&gt; architecture with a per-layer &lt;tt&gt;deci.feed_forward_length&lt;/tt&gt; array, which llama.cpp and Anatomist read; tools that only know the &lt;tt&gt;llama&lt;/tt&gt; architecture cannot load it.</source>
        <translation>Les amplades MLP difereixen entre capes: el fitxer fa servir l&apos;arquitectura &lt;tt&gt;deci&lt;/tt&gt; de llama.cpp amb una llista &lt;tt&gt;deci.feed_forward_length&lt;/tt&gt; per capa, que llegeixen llama.cpp i Anatomist; les eines que només coneixen l&apos;arquitectura &lt;tt&gt;llama&lt;/tt&gt; no el poden carregar.</translation>
    </message>
    <message>
        <source>&lt;b&gt;This model cannot be written as GGUF:&lt;/b&gt; %1. Export it as a Hugging Face folder instead.</source>
        <translation>&lt;b&gt;Aquest model no es pot escriure com a GGUF:&lt;/b&gt; %1. Exporteu-lo com a carpeta de Hugging Face.</translation>
    </message>
    <message>
        <source>llama.cpp has no architecture for it</source>
        <translation>llama.cpp no té cap arquitectura per a ell</translation>
    </message>
    <message>
        <source>The attention head counts differ between layers: the file uses llama.cpp&apos;s &lt;tt&gt;deci&lt;/tt&gt; architecture with per-layer &lt;tt&gt;deci.attention.head_count&lt;/tt&gt; and &lt;tt&gt;deci.attention.head_count_kv&lt;/tt&gt; arrays, which llama.cpp and Anatomist read; tools that only know the &lt;tt&gt;llama&lt;/tt&gt; architecture cannot load it.</source>
        <translation>El nombre de caps d&apos;atenció és diferent entre capes: el fitxer fa servir l&apos;arquitectura &lt;tt&gt;deci&lt;/tt&gt; de llama.cpp amb les llistes per capa &lt;tt&gt;deci.attention.head_count&lt;/tt&gt; i &lt;tt&gt;deci.attention.head_count_kv&lt;/tt&gt;, que llegeixen llama.cpp i Anatomist; les eines que només coneixen l&apos;arquitectura &lt;tt&gt;llama&lt;/tt&gt; no el poden carregar.</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::HeadsEditor</name>
    <message>
        <source>Remove KV group %1 of layer %2</source>
        <translation>Elimina el grup KV %1 de la capa %2</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n query head(s) per KV group in every layer</source>
        <translation>
            <numerusform>Elimina %n capçal de consulta per grup KV a totes les capes</numerusform>
            <numerusform>Elimina %n capçals de consulta per grup KV a totes les capes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n query head(s) per KV group in layer %1</source>
        <translation>
            <numerusform>Elimina %n capçal de consulta per grup KV a la capa %1</numerusform>
            <numerusform>Elimina %n capçals de consulta per grup KV a la capa %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Removes the query heads with the lowest L2 norm (q_proj rows and o_proj columns) from every KV group</source>
        <translation>Elimina de cada grup KV els capçals de consulta amb la norma L2 més baixa (files de q_proj i columnes d&apos;o_proj)</translation>
    </message>
    <message>
        <source>Each KV group has one query head: remove whole KV groups instead</source>
        <translation>Cada grup KV té un sol capçal de consulta: elimineu grups KV sencers</translation>
    </message>
    <message>
        <source>Open a model to edit its heads.</source>
        <translation>Obriu un model per editar-ne els capçals.</translation>
    </message>
    <message>
        <source>KV %1: %2</source>
        <translation>KV %1: %2</translation>
    </message>
    <message>
        <source>layer removed</source>
        <translation>capa eliminada</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>Capçals d&apos;atenció</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>KV group:</source>
        <translation>Grup KV:</translation>
    </message>
    <message>
        <source>Remove group</source>
        <translation>Elimina el grup</translation>
    </message>
    <message>
        <source>Remove this KV head together with every query head that reads it</source>
        <translation>Elimina aquest capçal KV juntament amb tots els capçals de consulta que el llegeixen</translation>
    </message>
    <message>
        <source>Query heads per group:</source>
        <translation>Capçals de consulta per grup:</translation>
    </message>
    <message>
        <source>this layer</source>
        <translation>aquesta capa</translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>totes les capes</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <source>kept: %1/%2 query, %3/%4 KV heads</source>
        <translation>es conserven: %1/%2 capçals de consulta, %3/%4 KV</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::JobsPanel</name>
    <message>
        <source>cancelling…</source>
        <translation>cancel·lant…</translation>
    </message>
    <message>
        <source>No jobs running</source>
        <translation>No hi ha cap tasca en curs</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>Cancel this job</source>
        <translation>Cancel·la aquesta tasca</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cua</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::LogitLensView</name>
    <message>
        <source>%1 (output)</source>
        <translation>%1 (sortida)</translation>
    </message>
    <message>
        <source>layer %1, after token %2 “%3”:</source>
        <translation>capa %1, després del token %2 «%3»:</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>probabilitat</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Text:</translation>
    </message>
    <message>
        <source>Type a prompt, then press Run</source>
        <translation>Escriviu un text i premeu Executa</translation>
    </message>
    <message>
        <source>Top k:</source>
        <translation>Els k primers:</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Executant…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Executa</translation>
    </message>
    <message>
        <source>Decode every layer&apos;s residual stream with the final norm and the unembedding</source>
        <translation>Descodifica el flux residual de cada capa amb la norma final i la matriu de sortida</translation>
    </message>
    <message>
        <source>Running the model on the prompt…</source>
        <translation>Executant el model sobre el text…</translation>
    </message>
    <message>
        <source>Type a prompt and press Run to see which next token each layer would predict if it were the last one.</source>
        <translation>Escriviu un text i premeu Executa per veure quin token següent predirien cada capa si fos l’última.</translation>
    </message>
    <message>
        <source>Rows: the residual stream after each layer, decoded by the final norm and the unembedding; columns: the prompt&apos;s tokens. Each cell is the most probable next token and its probability (hover for the top %1).</source>
        <translation>Files: el flux residual després de cada capa, descodificat amb la norma final i la matriu de sortida; columnes: els tokens del text. Cada cel·la és el token següent més probable i la seva probabilitat (passeu-hi el ratolí per veure’n els %1 primers).</translation>
    </message>
    <message>
        <source>Right: layer %1 after “%2”.</source>
        <translation>A la dreta: capa %1 després de «%2».</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lent de logits</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::LossCurves</name>
    <message>
        <source>total loss</source>
        <translation>pèrdua total</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>taxa d&apos;aprenentatge</translation>
    </message>
    <message>
        <source>held-out perplexity</source>
        <translation>perplexitat en validació</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>mestre</translation>
    </message>
    <message>
        <source>Logarithmic loss and perplexity axes</source>
        <translation>Eixos logarítmics de pèrdua i perplexitat</translation>
    </message>
    <message>
        <source>step</source>
        <translation>pas</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>pèrdua</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>perplexitat</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>Corbes d&apos;entrenament</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleDetails</name>
    <message>
        <source>No module selected</source>
        <translation>Cap mòdul seleccionat</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>valor del pes</translation>
    </message>
    <message>
        <source>count</source>
        <translation>recompte</translation>
    </message>
    <message>
        <source>output row</source>
        <translation>fila de sortida</translation>
    </message>
    <message>
        <source>L2 norm</source>
        <translation>norma L2</translation>
    </message>
    <message>
        <source>%1 values · min %2 · max %3 · mean %4 · std %5</source>
        <translation>%1 valors · mín %2 · màx %3 · mitjana %4 · desv. %5</translation>
    </message>
    <message>
        <source>Select a module to see its weight statistics.</source>
        <translation>Seleccioneu un mòdul per veure les estadístiques dels seus pesos.</translation>
    </message>
    <message>
        <source>input row (Conv1D stores [in, out])</source>
        <translation>fila d&apos;entrada (Conv1D desa [entrada, sortida])</translation>
    </message>
    <message>
        <source>Computing weight statistics…</source>
        <translation>Calculant les estadístiques de pesos…</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleTreeModel</name>
    <message>
        <source>model</source>
        <translation>model</translation>
    </message>
    <message>
        <source>Removing this saves %1 parameters (%2 in %3)</source>
        <translation>Eliminar-lo estalvia %1 paràmetres (%2 en %3)</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>paràmetre</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipus</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>DType</source>
        <translation>Tipus de dada</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>% of total</source>
        <translation>% del total</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memòria</translation>
    </message>
    <message>
        <source>Removal saves</source>
        <translation>Eliminar estalvia</translation>
    </message>
    <message>
        <source>Stored as %1: %2 in the file</source>
        <translation>Emmagatzemat com a %1: %2 al fitxer</translation>
    </message>
    <message>
        <source>Size in memory in the compute dtype (%1)</source>
        <translation>Mida en memòria en el tipus de càlcul (%1)</translation>
    </message>
    <message>
        <source>The type the file stores: the safetensors header&apos;s dtype, or GGUF&apos;s tensor type (Q4_K, Q8_0, …), which is dequantised on load</source>
        <translation>El tipus que desa el fitxer: el dtype de la capçalera safetensors o el tipus de tensor GGUF (Q4_K, Q8_0, …), que es desquantitza en carregar</translation>
    </message>
    <message>
        <source>Bytes the file holds for it (quantisation blocks included)</source>
        <translation>Bytes que ocupa al fitxer (blocs de quantització inclosos)</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Emmagatzemat</translation>
    </message>
    <message>
        <source>Stored size</source>
        <translation>Mida emmagatzemada</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleTreeView</name>
    <message>
        <source>Filter modules by name…</source>
        <translation>Filtra els mòduls pel nom…</translation>
    </message>
    <message>
        <source>Keep %1 (take it out of the plan)</source>
        <translation>Conserva %1 (treu-lo del pla)</translation>
    </message>
    <message>
        <source>Remove %1 (add it to the plan)</source>
        <translation>Elimina %1 (afegeix-lo al pla)</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::NeuronView</name>
    <message>
        <source>layer %1: min %2, quartiles %3 / %4 / %5, max %6 (click to show it)</source>
        <translation>capa %1: mín. %2, quartils %3 / %4 / %5, màx. %6 (feu clic per mostrar-la)</translation>
    </message>
    <message>
        <source>rank %1: score %2</source>
        <translation>posició %1: puntuació %2</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>puntuació %1</translation>
    </message>
    <message>
        <source>%1 score</source>
        <translation>puntuació %1</translation>
    </message>
    <message>
        <source>neurons of layer %1, sorted by score (rank)</source>
        <translation>neurones de la capa %1, ordenades per puntuació (posició)</translation>
    </message>
    <message>
        <source>neurons of layer %1</source>
        <translation>neurones de la capa %1</translation>
    </message>
    <message>
        <source>layer (box: quartiles, whiskers: min and max; click to show it)</source>
        <translation>capa (caixa: quartils, bigotis: mín. i màx.; feu clic per mostrar-la)</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>posició</translation>
    </message>
    <message>
        <source>neuron</source>
        <translation>neurona</translation>
    </message>
    <message>
        <source>score</source>
        <translation>puntuació</translation>
    </message>
    <message>
        <source>Layer %1: the %2 best pruning candidates (highest F_k) of %3 neurons</source>
        <translation>Capa %1: les %2 millors candidates a poda (F_k més alt) de %3 neurones</translation>
    </message>
    <message>
        <source>Layer %1: the %2 most important of %3 neurons</source>
        <translation>Capa %1: les %2 més importants de %3 neurones</translation>
    </message>
    <message>
        <source>PPM: peak-to-peak magnitude of gate and up rows</source>
        <translation>PPM: amplitud pic a pic de les files de gate i up</translation>
    </message>
    <message>
        <source>VOW: variance of gate and up rows</source>
        <translation>VOW: variància de les files de gate i up</translation>
    </message>
    <message>
        <source>PON: product of the L1 norms of gate and up rows</source>
        <translation>PON: producte de les normes L1 de les files de gate i up</translation>
    </message>
    <message>
        <source>L2: sum of the L2 norms of gate and up rows</source>
        <translation>L2: suma de les normes L2 de les files de gate i up</translation>
    </message>
    <message>
        <source>activation-weighted: PPM × activation norm on a text</source>
        <translation>ponderada per activació: PPM × norma d’activació sobre un text</translation>
    </message>
    <message>
        <source>fairness F_k: bias on prompt pairs and low PPM (pruning candidates)</source>
        <translation>equitat F_k: biaix en parells de textos i PPM baix (candidates a poda)</translation>
    </message>
    <message>
        <source>L1: norm of the c_fc neuron (plain GPT-2 MLP)</source>
        <translation>L1: norma de la neurona de c_fc (MLP simple de GPT-2)</translation>
    </message>
    <message>
        <source>Score:</source>
        <translation>Puntuació:</translation>
    </message>
    <message>
        <source>Fairness weight w:</source>
        <translation>Pes d’equitat w:</translation>
    </message>
    <message>
        <source>F_k = w · norm(bias_k) + (1 − w) · (1 − norm(PPM_k))</source>
        <translation>F_k = w · norm(biaix_k) + (1 − w) · (1 − norm(PPM_k))</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostra:</translation>
    </message>
    <message>
        <source>sorted curve</source>
        <translation>corba ordenada</translation>
    </message>
    <message>
        <source>histogram</source>
        <translation>histograma</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Executant…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Executa</translation>
    </message>
    <message>
        <source>Score every MLP neuron of every layer</source>
        <translation>Puntua cada neurona MLP de cada capa</translation>
    </message>
    <message>
        <source>Scoring the neurons…</source>
        <translation>Puntuant les neurones…</translation>
    </message>
    <message>
        <source>Choose a score and press Run to see how the MLP neurons of each layer rank. Higher is more important; for fairness F_k, higher is a better neuron to remove.</source>
        <translation>Trieu una puntuació i premeu Executa per veure com s’ordenen les neurones MLP de cada capa. Més alt és més important; per a l’equitat F_k, més alt és millor neurona per eliminar.</translation>
    </message>
    <message>
        <source>%1 · %2 layers · %3 s</source>
        <translation>%1 · %2 capes · %3 s</translation>
    </message>
    <message>
        <source> · %1 tokens read</source>
        <translation> · %1 tokens llegits</translation>
    </message>
    <message>
        <source> · prompt pairs: %1</source>
        <translation> · parells de textos: %1</translation>
    </message>
    <message>
        <source>Run the scores first</source>
        <translation>Calculeu primer les puntuacions</translation>
    </message>
    <message>
        <source>The plan can remove neurons by PPM, VOW, PON, L2 or L1; choose one of those scores</source>
        <translation>El pla pot eliminar neurones per PPM, VOW, PON, L2 o L1; trieu una d&apos;aquestes puntuacions</translation>
    </message>
    <message>
        <source>Choose a percentage above 0</source>
        <translation>Trieu un percentatge més gran que 0</translation>
    </message>
    <message>
        <source>Add this removal to the pruning plan</source>
        <translation>Afegeix aquesta eliminació al pla de poda</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <source>of this layer&apos;s MLP neurons</source>
        <translation>de les neurones MLP d&apos;aquesta capa</translation>
    </message>
    <message>
        <source>of every layer&apos;s MLP neurons</source>
        <translation>de les neurones MLP de cada capa</translation>
    </message>
    <message>
        <source>Add to plan</source>
        <translation>Afegeix al pla</translation>
    </message>
    <message>
        <source>layer %1 keeps %2 of %3 neurons; the %4 lowest-scored (red on the curve) go</source>
        <translation>la capa %1 conserva %2 de %3 neurones; s&apos;eliminen les %4 de puntuació més baixa (en vermell a la corba)</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importància de neurones</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::OverviewCard</name>
    <message>
        <source>&lt;b&gt;No model loaded&lt;/b&gt;</source>
        <translation>&lt;b&gt;Cap model carregat&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Open a model folder with File ▸ Open folder… or drop it on the window.</source>
        <translation>Obriu una carpeta de model amb Fitxer ▸ Obre una carpeta… o deixeu-la anar a la finestra.</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Capes</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Dimensió oculta</translation>
    </message>
    <message>
        <source>Heads / KV heads</source>
        <translation>Caps / caps KV</translation>
    </message>
    <message>
        <source>%1 / %2 (GQA ×%3)</source>
        <translation>%1 / %2 (GQA ×%3)</translation>
    </message>
    <message>
        <source>Head dim</source>
        <translation>Dimensió per cap</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>%1 (%2× hidden, %3)</source>
        <translation>%1 (%2× l&apos;oculta, %3)</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vocabulari</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Context</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>Posicions</translation>
    </message>
    <message>
        <source>Sliding window</source>
        <translation>Finestra lliscant</translation>
    </message>
    <message>
        <source>%1 on %2 of %3 layers</source>
        <translation>%1 en %2 de %3 capes</translation>
    </message>
    <message>
        <source>Tied head</source>
        <translation>Capçal compartit</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Tokenitzador</translation>
    </message>
    <message>
        <source>none</source>
        <translation>cap</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memòria</translation>
    </message>
    <message>
        <source>%1 in float32, %2 in bfloat16</source>
        <translation>%1 en float32, %2 en bfloat16</translation>
    </message>
    <message>
        <source>Parameters by kind</source>
        <translation>Paràmetres per tipus</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>paràmetres</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>embedding</translation>
    </message>
    <message>
        <source>positions</source>
        <translation>posicions</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>atenció</translation>
    </message>
    <message>
        <source>norms</source>
        <translation>normes</translation>
    </message>
    <message>
        <source>head</source>
        <translation>capçal</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::PlanEditor</name>
    <message>
        <source>layer %1</source>
        <translation>la capa %1</translation>
    </message>
    <message>
        <source>attention of layer %1</source>
        <translation>l&apos;atenció de la capa %1</translation>
    </message>
    <message>
        <source>MLP of layer %1</source>
        <translation>MLP de la capa %1</translation>
    </message>
    <message>
        <source>Keep %1</source>
        <translation>Conserva %1</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Elimina %1</translation>
    </message>
    <message>
        <source>Remove operation</source>
        <translation>Treu l&apos;operació</translation>
    </message>
    <message>
        <source>Clear the plan</source>
        <translation>Buida el pla</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::PlanPanel</name>
    <message>
        <source>every layer</source>
        <translation>totes les capes</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>la capa %1</translation>
    </message>
    <message>
        <source>layers %1</source>
        <translation>les capes %1</translation>
    </message>
    <message>
        <source>Remove layer %1</source>
        <translation>Elimina la capa %1</translation>
    </message>
    <message>
        <source>Remove layers %1</source>
        <translation>Elimina les capes %1</translation>
    </message>
    <message>
        <source>Bypass the attention of %1</source>
        <translation>Omet l&apos;atenció de %1</translation>
    </message>
    <message>
        <source>MLP of %1: keep %2 neurons (%3)</source>
        <translation>MLP de %1: conserva %2 neurones (%3)</translation>
    </message>
    <message>
        <source>MLP of %1: width %2 % of hidden (%3)</source>
        <translation>MLP de %1: amplada del %2 % de la mida oculta (%3)</translation>
    </message>
    <message>
        <source>MLP of %1: remove %2 % of neurons (%3)</source>
        <translation>MLP de %1: elimina el %2 % de les neurones (%3)</translation>
    </message>
    <message numerus="yes">
        <source>MLP of %1: remove %n listed neuron(s)</source>
        <translation>
            <numerusform>MLP de %1: elimina %n neurona de la llista</numerusform>
            <numerusform>MLP de %1: elimina %n neurones de la llista</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 a %2</translation>
    </message>
    <message>
        <source>Open a model to plan what to remove.</source>
        <translation>Obriu un model per planificar què cal eliminar.</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation>Memòria (%1)</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>Capes del descodificador</translation>
    </message>
    <message>
        <source>Attention bypass saves compute, not memory: the parameters stay, and the export sets o_proj to zero so that stock loaders give the same outputs.</source>
        <translation>Ometre l&apos;atenció estalvia càlcul, no memòria: els paràmetres es queden, i l&apos;exportació posa o_proj a zero perquè els carregadors estàndard donin les mateixes sortides.</translation>
    </message>
    <message>
        <source>Take this operation out of the plan</source>
        <translation>Treu aquesta operació del pla</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>eliminada</translation>
    </message>
    <message>
        <source>attention bypassed</source>
        <translation>atenció omesa</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>es conserva</translation>
    </message>
    <message>
        <source>Mark layers, attention blocks or MLPs first</source>
        <translation>Marqueu primer capes, blocs d&apos;atenció o MLP</translation>
    </message>
    <message>
        <source>Build the variant in the background</source>
        <translation>Construeix la variant en segon pla</translation>
    </message>
    <message>
        <source>Remove layer %1 (importance %2)</source>
        <translation>Elimina la capa %1 (importància %2)</translation>
    </message>
    <message>
        <source>Run layer similarity to get suggestions (the lowest-importance layers).</source>
        <translation>Executeu la similitud entre capes per obtenir suggeriments (les capes de menys importància).</translation>
    </message>
    <message>
        <source>Every suggested layer is in the plan.</source>
        <translation>Totes les capes suggerides són al pla.</translation>
    </message>
    <message>
        <source>Could not load the plan</source>
        <translation>No s&apos;ha pogut carregar el pla</translation>
    </message>
    <message>
        <source>This plan is for another model</source>
        <translation>Aquest pla és per a un altre model</translation>
    </message>
    <message>
        <source>%1: %2

The current plan is unchanged.</source>
        <translation>%1: %2

El pla actual no ha canviat.</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>Carrega %1</translation>
    </message>
    <message>
        <source>Could not save the plan</source>
        <translation>No s&apos;ha pogut desar el pla</translation>
    </message>
    <message>
        <source>Load a pruning plan</source>
        <translation>Carrega un pla de poda</translation>
    </message>
    <message>
        <source>Pruning plans (*.json);;All files (*)</source>
        <translation>Plans de poda (*.json);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Save the pruning plan</source>
        <translation>Desa el pla de poda</translation>
    </message>
    <message>
        <source>Pruning plans (*.json)</source>
        <translation>Plans de poda (*.json)</translation>
    </message>
    <message>
        <source>Pruning plan</source>
        <translation>Pla de poda</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operació</translation>
    </message>
    <message>
        <source>Parameters saved</source>
        <translation>Paràmetres estalviats</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>MLP width</source>
        <translation>Amplada MLP</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Buida</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Carrega…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Desa…</translation>
    </message>
    <message>
        <source>MLP neurons removed when an MLP is ticked:</source>
        <translation>Neurones MLP eliminades en marcar un MLP:</translation>
    </message>
    <message>
        <source>Variant name:</source>
        <translation>Nom de la variant:</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>variant</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplica</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Desfés</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Refés</translation>
    </message>
    <message>
        <source>Layer %1 (%2)</source>
        <translation>Capa %1 (%2)</translation>
    </message>
    <message>
        <source>Suggested removals (importance):</source>
        <translation>Eliminacions suggerides (importància):</translation>
    </message>
    <message>
        <source>Heads can be removed from models with separate q/k/v/o projections (not GPT-2&apos;s fused c_attn).</source>
        <translation>Es poden eliminar capçals en models amb projeccions q/k/v/o separades (no en el c_attn fusionat de GPT-2).</translation>
    </message>
    <message>
        <source>Heads of %1: remove KV group(s) %2</source>
        <translation>Capçals de %1: elimina el(s) grup(s) KV %2</translation>
    </message>
    <message numerus="yes">
        <source>Heads of %1: remove %n query head(s) per KV group</source>
        <translation>
            <numerusform>Capçals de %1: elimina %n capçal de consulta per grup KV</numerusform>
            <numerusform>Capçals de %1: elimina %n capçals de consulta per grup KV</numerusform>
        </translation>
    </message>
    <message>
        <source>Heads of %1: remove query heads %2</source>
        <translation>Capçals de %1: elimina els capçals de consulta %2</translation>
    </message>
    <message>
        <source>Prefill speed, estimated (%1-token prompt)</source>
        <translation>Velocitat de prefill, estimada (entrada de %1 tokens)</translation>
    </message>
    <message>
        <source>from the matmul FLOPs per token</source>
        <translation>segons els FLOPs de matmul per token</translation>
    </message>
    <message>
        <source>Decode speed, estimated</source>
        <translation>Velocitat de descodificació, estimada</translation>
    </message>
    <message>
        <source>from the weight bytes read per token</source>
        <translation>segons els bytes de pesos llegits per token</translation>
    </message>
    <message>
        <source>Estimates from the model&apos;s shapes, not measurements: decode is bound by memory (weights read per token), prefill by compute (FLOPs). Measure with anatomist-cli compare --bench.</source>
        <translation>Estimacions a partir de les formes del model, no mesures: la descodificació està limitada per la memòria (pesos llegits per token) i el prefill pel càlcul (FLOPs). Mesureu-les amb anatomist-cli compare --bench.</translation>
    </message>
    <message>
        <source>%1 (%2 KV)</source>
        <translation>%1 (%2 KV)</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>Capçals</translation>
    </message>
    <message>
        <source>%1→%2 (%3 KV)</source>
        <translation>%1→%2 (%3 KV)</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::PlaygroundView</name>
    <message>
        <source>&amp;Prompt:</source>
        <translation>&amp;Prompt:</translation>
    </message>
    <message>
        <source>The start of a text both models continue</source>
        <translation>L&apos;inici d&apos;un text que tots dos models continuen</translation>
    </message>
    <message>
        <source>&amp;Sample (otherwise greedy)</source>
        <translation>&amp;Mostreja (si no, voraç)</translation>
    </message>
    <message>
        <source>Greedy takes the most likely token each step; sampling draws from the distribution at this temperature, reproducibly for a given seed</source>
        <translation>Voraç pren el token més probable a cada pas; el mostreig extreu de la distribució a aquesta temperatura, de manera reproduïble per a una llavor donada</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatura:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>Ll&amp;avor:</translation>
    </message>
    <message>
        <source>&amp;Max new tokens:</source>
        <translation>Mà&amp;x. tokens nous:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Genera</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel·la</translation>
    </message>
    <message>
        <source>Left model</source>
        <translation>Model de l&apos;esquerra</translation>
    </message>
    <message>
        <source>Right model</source>
        <translation>Model de la dreta</translation>
    </message>
    <message numerus="yes">
        <source>%n new token(s) in %1 s · %2 tokens/s</source>
        <translation>
            <numerusform>%n token nou en %1 s · %2 tokens/s</numerusform>
            <numerusform>%n tokens nous en %1 s · %2 tokens/s</numerusform>
        </translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Encara no hi ha resposta</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::SimilarityView</name>
    <message>
        <source>Choose a dataset</source>
        <translation>Trieu un conjunt de dades</translation>
    </message>
    <message>
        <source>block</source>
        <translation>bloc</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>atenció</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>block (%1)</source>
        <translation>bloc (%1)</translation>
    </message>
    <message>
        <source>importance (1 − cos)</source>
        <translation>importància (1 − cos)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <source>1 − cos</source>
        <translation>1 − cos</translation>
    </message>
    <message>
        <source>layer (click to select it in the module tree)</source>
        <translation>capa (feu clic per seleccionar-la a l&apos;arbre de mòduls)</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Exporta el gràfic</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imatge PNG (*.png);;Imatge SVG (*.svg);;Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Ha fallat l&apos;exportació</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s&apos;ha pogut escriure %1.</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Exporta les dades</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;JSON (*.json)</source>
        <translation>Taula CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Conjunt de dades:</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>Compara amb:</translation>
    </message>
    <message>
        <source>Built-in sample</source>
        <translation>Mostra integrada</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(cap)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Navega…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Calculant…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Calcula</translation>
    </message>
    <message>
        <source>Measure layer similarity on the dataset (Ctrl+R)</source>
        <translation>Mesura la similitud entre capes en el conjunt de dades (Ctrl+R)</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exporta el gràfic…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exporta les dades…</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>Mesurant…</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>Encara no hi ha resultats</translation>
    </message>
    <message>
        <source>layer %1 · %2: 1 − cos = %3</source>
        <translation>capa %1 · %2: 1 − cos = %3</translation>
    </message>
    <message>
        <source>layer %1 (1 − cos)</source>
        <translation>capa %1 (1 − cos)</translation>
    </message>
    <message>
        <source>%1: block %2 · attention %3 · MLP %4</source>
        <translation>%1: bloc %2 · atenció %3 · MLP %4</translation>
    </message>
    <message>
        <source>Text datasets (*.txt *.jsonl *.ndjson);;All files (*)</source>
        <translation>Conjunts de text (*.txt *.jsonl *.ndjson);;Tots els fitxers (*)</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capes</translation>
    </message>
    <message>
        <source>Measuring layer similarity…</source>
        <translation>Mesurant la similitud entre capes…</translation>
    </message>
    <message>
        <source>Press Run to measure how much each layer changes its input: 1 − cosine similarity of the hidden states before and after each block, its attention and its MLP.</source>
        <translation>Premeu Executa per mesurar quant canvia cada capa la seva entrada: 1 − similitud cosinus dels estats ocults abans i després de cada bloc, la seva atenció i la seva MLP.</translation>
    </message>
    <message>
        <source>%1: %2 documents, %3 tokens, %4 s</source>
        <translation>%1: %2 documents, %3 tokens, %4 s</translation>
    </message>
    <message>
        <source>built-in sample</source>
        <translation>mostra integrada</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::VariantsPanel</name>
    <message>
        <source>not measured</source>
        <translation>sense mesurar</translation>
    </message>
    <message>
        <source>Base and variants</source>
        <translation>Base i variants</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Què s&apos;ha fet</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paràmetres</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memòria</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplexitat</translation>
    </message>
    <message>
        <source>No variants yet: mark what to remove in the module tree or the pruning plan, then Apply.</source>
        <translation>Encara no hi ha variants: marqueu què cal eliminar a l&apos;arbre de mòduls o al pla de poda i premeu Aplica.</translation>
    </message>
    <message>
        <source>Measure perplexity</source>
        <translation>Mesura la perplexitat</translation>
    </message>
    <message>
        <source>Perplexity of the base and every variant on the built-in sample text</source>
        <translation>Perplexitat de la base i de cada variant amb el text de mostra inclòs</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporta…</translation>
    </message>
    <message>
        <source>Write the selected row as a Hugging Face folder or a GGUF file; select two rows to compare them</source>
        <translation>Escriu la fila seleccionada com a carpeta de Hugging Face o fitxer GGUF; seleccioneu dues files per comparar-les</translation>
    </message>
</context>
</TS>
