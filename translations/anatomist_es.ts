<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>JobStage</name>
    <message>
        <source>configuration</source>
        <translation>configuración</translation>
    </message>
    <message>
        <source>tokenizer</source>
        <translation>tokenizador</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>pesos</translation>
    </message>
    <message>
        <source>tensors</source>
        <translation>tensores</translation>
    </message>
    <message>
        <source>reading</source>
        <translation>lectura</translation>
    </message>
    <message>
        <source>writing</source>
        <translation>escritura</translation>
    </message>
    <message>
        <source>building</source>
        <translation>construcción</translation>
    </message>
    <message>
        <source>done</source>
        <translation>hecho</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>carga</translation>
    </message>
    <message>
        <source>data</source>
        <translation>datos</translation>
    </message>
    <message>
        <source>similarity</source>
        <translation>similitud</translation>
    </message>
    <message>
        <source>selecting layers</source>
        <translation>selección de capas</translation>
    </message>
    <message>
        <source>activations</source>
        <translation>activaciones</translation>
    </message>
    <message>
        <source>prompt pairs</source>
        <translation>pares de prompts</translation>
    </message>
    <message>
        <source>scoring</source>
        <translation>puntuación</translation>
    </message>
    <message>
        <source>scores</source>
        <translation>puntuaciones</translation>
    </message>
    <message>
        <source>logit lens</source>
        <translation>lente de logits</translation>
    </message>
    <message>
        <source>forward pass</source>
        <translation>pasada hacia delante</translation>
    </message>
    <message>
        <source>generating</source>
        <translation>generación</translation>
    </message>
    <message>
        <source>prefill</source>
        <translation>prellenado</translation>
    </message>
    <message>
        <source>decoding</source>
        <translation>decodificación</translation>
    </message>
    <message>
        <source>timing</source>
        <translation>medición de tiempos</translation>
    </message>
    <message>
        <source>matrix product</source>
        <translation>producto de matrices</translation>
    </message>
    <message>
        <source>comparing</source>
        <translation>comparación</translation>
    </message>
    <message>
        <source>calibrating</source>
        <translation>calibración</translation>
    </message>
    <message>
        <source>teacher reference</source>
        <translation>referencia del maestro</translation>
    </message>
    <message>
        <source>student</source>
        <translation>alumno</translation>
    </message>
    <message>
        <source>training</source>
        <translation>entrenamiento</translation>
    </message>
</context>
<context>
    <name>JsonFile</name>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No se pudo leer %1: %2</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at byte %3)</source>
        <translation>%1 no es JSON válido (%2 en el byte %3)</translation>
    </message>
    <message>
        <source>%1 does not hold a JSON object</source>
        <translation>%1 no contiene un objeto JSON</translation>
    </message>
</context>
<context>
    <name>PlanDocument</name>
    <message>
        <source>%1, %2 layers, hidden size %3, MLP width %4, %5 heads (%6 KV)</source>
        <translation>%1, %2 capas, tamaño oculto %3, anchura MLP %4, %5 cabezas (%6 KV)</translation>
    </message>
    <message>
        <source>%1: not a pruning plan (&quot;format&quot; must be &quot;anatomist-plan&quot;)</source>
        <translation>%1: no es un plan de poda (&quot;format&quot; debe ser &quot;anatomist-plan&quot;)</translation>
    </message>
    <message>
        <source>%1: plan version %2 is not supported (this version reads version 1)</source>
        <translation>%1: la versión %2 del plan no es compatible (esta versión lee la versión 1)</translation>
    </message>
    <message>
        <source>%1: &quot;operations&quot; must be a list</source>
        <translation>%1: &quot;operations&quot; debe ser una lista</translation>
    </message>
    <message>
        <source>%1: operation %2 has an unknown &quot;op&quot; (%3)</source>
        <translation>%1: la operación %2 tiene un &quot;op&quot; desconocido (%3)</translation>
    </message>
    <message>
        <source>%1: operation %2 (%3) names layer %4, but the base has %5 layers</source>
        <translation>%1: la operación %2 (%3) nombra la capa %4, pero la base tiene %5 capas</translation>
    </message>
    <message>
        <source>This plan was made for another model.
Plan: %1
Open model: %2</source>
        <translation>Este plan se hizo para otro modelo.
Plan: %1
Modelo abierto: %2</translation>
    </message>
</context>
<context>
    <name>PlanTotals</name>
    <message>
        <source>%1 on %2 (head removal is not in these totals)</source>
        <translation>%1 en %2 (la eliminación de cabezas no está en estos totales)</translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>todas las capas</translation>
    </message>
    <message>
        <source>layer(s) %1</source>
        <translation>capa(s) %1</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>Export image…</source>
        <translation>Exportar imagen…</translation>
    </message>
    <message>
        <source>Export image</source>
        <translation>Exportar imagen</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imagen PNG (*.png);;Imagen SVG (*.svg);;Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>No se pudo exportar</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
</context>
<context>
    <name>SessionDocument</name>
    <message>
        <source>%1 is not an Anatomist session (&quot;format&quot; must be &quot;%2&quot;)</source>
        <translation>%1 no es una sesión de Anatomist (&quot;format&quot; debe ser &quot;%2&quot;)</translation>
    </message>
    <message>
        <source>%1: the session has no valid &quot;version&quot;</source>
        <translation>%1: la sesión no tiene una &quot;version&quot; válida</translation>
    </message>
    <message>
        <source>%1 was written by a newer Anatomist (session version %2; this one reads version %3)</source>
        <translation>%1 se escribió con un Anatomist más reciente (versión de sesión %2; este lee la versión %3)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>&quot;model&quot; must name the model folder or file</source>
        <translation>&quot;model&quot; debe indicar la carpeta o el archivo del modelo</translation>
    </message>
    <message>
        <source>&quot;datasets&quot; must be an object</source>
        <translation>&quot;datasets&quot; debe ser un objeto</translation>
    </message>
    <message>
        <source>dataset &quot;%1&quot; must be a path (a string)</source>
        <translation>el conjunto de datos &quot;%1&quot; debe ser una ruta (una cadena)</translation>
    </message>
    <message>
        <source>the plan</source>
        <translation>el plan</translation>
    </message>
    <message>
        <source>&quot;plan&quot; must be a plan document</source>
        <translation>&quot;plan&quot; debe ser un documento de plan</translation>
    </message>
    <message>
        <source>&quot;variants&quot; must be a list</source>
        <translation>&quot;variants&quot; debe ser una lista</translation>
    </message>
    <message>
        <source>variant %1 has no &quot;name&quot;</source>
        <translation>la variante %1 no tiene &quot;name&quot;</translation>
    </message>
    <message>
        <source>variant %1</source>
        <translation>variante %1</translation>
    </message>
    <message>
        <source>variant %1 needs a &quot;plan&quot; or a &quot;path&quot;</source>
        <translation>la variante %1 necesita un &quot;plan&quot; o un &quot;path&quot;</translation>
    </message>
    <message>
        <source>&quot;distill_runs&quot; must be a list of folders</source>
        <translation>&quot;distill_runs&quot; debe ser una lista de carpetas</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ActivationController</name>
    <message>
        <source>Type a prompt first.</source>
        <translation>Escriba primero un texto de entrada.</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activaciones</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::AnalysisViews</name>
    <message>
        <source>Activations failed</source>
        <translation>Las activaciones han fallado</translation>
    </message>
    <message>
        <source>Contrastive pairs failed</source>
        <translation>Los pares contrastivos han fallado</translation>
    </message>
    <message>
        <source>Neuron importance failed</source>
        <translation>La importancia de neuronas ha fallado</translation>
    </message>
    <message>
        <source>Logit lens failed</source>
        <translation>La lente de logits ha fallado</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>Cargando el modelo…</translation>
    </message>
    <message>
        <source>Open a model first (File ▸ Open folder…).</source>
        <translation>Abra primero un modelo (Archivo ▸ Abrir carpeta…).</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer (tokenizer.model or tokenizer.json), so a prompt cannot be turned into tokens.</source>
        <translation>Esta carpeta de modelo no tiene tokenizador (tokenizer.model o tokenizer.json), así que un texto no se puede convertir en tokens.</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activaciones</translation>
    </message>
    <message>
        <source>Contrastive pairs</source>
        <translation>Pares contrastivos</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importancia de neuronas</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lente de logits</translation>
    </message>
    <message>
        <source>Contrastive</source>
        <translation>Contrastes</translation>
    </message>
    <message>
        <source>Neurons</source>
        <translation>Neuronas</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::CompareController</name>
    <message>
        <source>Could not measure the comparison</source>
        <translation>No se pudo medir la comparación</translation>
    </message>
    <message>
        <source>Could not generate</source>
        <translation>No se pudo generar</translation>
    </message>
    <message>
        <source>Measurement cancelled.</source>
        <translation>Medición cancelada.</translation>
    </message>
    <message>
        <source>Generation cancelled.</source>
        <translation>Generación cancelada.</translation>
    </message>
    <message>
        <source>This model has no tokenizer, so the sample text cannot be turned into tokens.</source>
        <translation>Este modelo no tiene tokenizador, así que el texto de muestra no se puede convertir en tokens.</translation>
    </message>
    <message>
        <source>Comparing %1</source>
        <translation>Comparando %1</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>Midiendo…</translation>
    </message>
    <message>
        <source>This model has no tokenizer, so the prompt cannot be turned into tokens.</source>
        <translation>Este modelo no tiene tokenizador, así que el prompt no se puede convertir en tokens.</translation>
    </message>
    <message>
        <source>Write a prompt first.</source>
        <translation>Escriba primero un prompt.</translation>
    </message>
    <message>
        <source>The prompt (%1 tokens) and %2 new tokens do not fit the model&apos;s context of %3 tokens; shorten the prompt or ask for fewer tokens.</source>
        <translation>El prompt (%1 tokens) y %2 tokens nuevos no caben en el contexto del modelo, de %3 tokens; acorte el prompt o pida menos tokens.</translation>
    </message>
    <message>
        <source>Generating with %1 and %2</source>
        <translation>Generando con %1 y %2</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Generando…</translation>
    </message>
    <message>
        <source>Measured on the built-in sample; speeds are medians of %1 runs, read them as the ratio in the Δ column.</source>
        <translation>Medido en la muestra integrada; las velocidades son medianas de %1 ejecuciones: léalas como la razón de la columna Δ.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ContrastiveController</name>
    <message>
        <source>Reading prompt pairs</source>
        <translation>Leyendo pares de textos</translation>
    </message>
    <message>
        <source>Add at least one prompt pair (or load a pair file) first.</source>
        <translation>Añada primero al menos un par de textos (o cargue un archivo de pares).</translation>
    </message>
    <message>
        <source>Pair %1 has an empty prompt: both A and B are needed.</source>
        <translation>El par %1 tiene un texto vacío: hacen falta A y B.</translation>
    </message>
    <message>
        <source>Contrastive pairs</source>
        <translation>Pares contrastivos</translation>
    </message>
    <message>
        <source>Pair %1: %2</source>
        <translation>Par %1: %2</translation>
    </message>
    <message>
        <source>PCA of pair %1</source>
        <translation>PCA del par %1</translation>
    </message>
    <message>
        <source>Fairness audit</source>
        <translation>Auditoría de equidad</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::DistillController</name>
    <message>
        <source>%1 (the base model)</source>
        <translation>%1 (el modelo base)</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Ha fallado: %1</translation>
    </message>
    <message>
        <source>Distillation failed</source>
        <translation>La destilación ha fallado</translation>
    </message>
    <message>
        <source>The run in %1 was stopped before it finished; Continue picks up from its checkpoint (open its base model first).</source>
        <translation>La ejecución de %1 se detuvo antes de terminar; Continuar sigue desde su punto de control (abra antes su modelo base).</translation>
    </message>
    <message>
        <source>Cannot start the distillation</source>
        <translation>No se puede iniciar la destilación</translation>
    </message>
    <message>
        <source>Open a model first: it is the teacher.</source>
        <translation>Abra primero un modelo: es el maestro.</translation>
    </message>
    <message>
        <source>%1 has no tokenizer, so the training text cannot be turned into tokens.</source>
        <translation>%1 no tiene tokenizador, así que el texto de entrenamiento no se puede convertir en tokens.</translation>
    </message>
    <message>
        <source>Choose a student: apply a pruning plan first to make a variant.</source>
        <translation>Elija un alumno: aplique antes un plan de poda para crear una variante.</translation>
    </message>
    <message>
        <source>%1: no such file.</source>
        <translation>%1: no existe ese archivo.</translation>
    </message>
    <message>
        <source>%1 already holds a distillation run. Resume it, or choose another run folder.</source>
        <translation>%1 ya contiene una ejecución de destilación. Reanúdela o elija otra carpeta de ejecución.</translation>
    </message>
    <message>
        <source>%1: cannot create the run folder (%2).</source>
        <translation>%1: no se puede crear la carpeta de ejecución (%2).</translation>
    </message>
    <message>
        <source>Cannot resume the distillation</source>
        <translation>No se puede reanudar la destilación</translation>
    </message>
    <message>
        <source>%1: the checkpoint is gone, so this run cannot continue. Start a new run instead.</source>
        <translation>%1: el punto de control ya no existe, así que esta ejecución no puede continuar. Inicie una nueva.</translation>
    </message>
    <message>
        <source>%1: not a readable checkpoint (%2).</source>
        <translation>%1: no es un punto de control legible (%2).</translation>
    </message>
    <message>
        <source>%1: not a distillation checkpoint.</source>
        <translation>%1: no es un punto de control de destilación.</translation>
    </message>
    <message>
        <source>This run heals a variant of %1: open that model first.</source>
        <translation>Esta ejecución recupera una variante de %1: abra antes ese modelo.</translation>
    </message>
    <message>
        <source>Distillation of %1 (resumed)</source>
        <translation>Destilación de %1 (reanudada)</translation>
    </message>
    <message>
        <source>Distillation of %1</source>
        <translation>Destilación de %1</translation>
    </message>
    <message>
        <source>%1 healed by distillation: %2 steps</source>
        <translation>%1 recuperada por destilación: %2 pasos</translation>
    </message>
    <message>
        <source>; held-out perplexity %1 → %2 (teacher %3)</source>
        <translation>; perplejidad en validación %1 → %2 (maestro %3)</translation>
    </message>
    <message>
        <source>%1 healed</source>
        <translation>%1 recuperada</translation>
    </message>
    <message>
        <source>Done: %1 is in the Variants tab. The run is in %2.</source>
        <translation>Hecho: %1 está en la pestaña Variantes. La ejecución está en %2.</translation>
    </message>
    <message>
        <source>Stopped at step %1. The checkpoint is in %2; Continue picks up from there.</source>
        <translation>Detenida en el paso %1. El punto de control está en %2; Continuar sigue desde ahí.</translation>
    </message>
    <message>
        <source>Stopped before the first checkpoint; there is nothing to resume.</source>
        <translation>Detenida antes del primer punto de control; no hay nada que reanudar.</translation>
    </message>
    <message>
        <source>This libtorch has no CUDA (built without it, or no CUDA device or driver is visible), so runs go on the CPU. To train on a GPU, build Anatomist against a CUDA libtorch (see the README).</source>
        <translation>Esta libtorch no tiene CUDA (se compiló sin ella, o no se ve ningún dispositivo ni controlador CUDA), así que las ejecuciones van en la CPU. Para entrenar en una GPU, compile Anatomist con una libtorch con CUDA (vea el README).</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ExportController</name>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Cancelado; no se escribió nada.</translation>
    </message>
    <message>
        <source>There is no model named %1 to export.</source>
        <translation>No hay ningún modelo llamado %1 que exportar.</translation>
    </message>
    <message>
        <source>Choose where to write the export.</source>
        <translation>Elija dónde escribir la exportación.</translation>
    </message>
    <message>
        <source>GGUF type %1: use f32, f16, bf16 or q8_0.</source>
        <translation>Tipo GGUF %1: use f32, f16, bf16 o q8_0.</translation>
    </message>
    <message>
        <source>Exporting %1 → %2</source>
        <translation>Exportando %1 → %2</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Escrito %1</translation>
    </message>
    <message>
        <source>%1 is inside the base model&apos;s folder; choose a place outside it.</source>
        <translation>%1 está dentro de la carpeta del modelo base; elija un lugar fuera de ella.</translation>
    </message>
    <message>
        <source>%1 cannot be written as GGUF: %2. Export it as a Hugging Face folder instead.</source>
        <translation>%1 no se puede escribir como GGUF: %2. Expórtelo como carpeta de Hugging Face.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::JobRunner</name>
    <message>
        <source>Out of memory.</source>
        <translation>Memoria insuficiente.</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::LogitLensController</name>
    <message>
        <source>Type a prompt first.</source>
        <translation>Escriba primero un texto de entrada.</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lente de logits</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::MainWindow</name>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation>%1 · %2 parámetros</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>No se pudo abrir %1</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>No se pudo abrir el modelo</translation>
    </message>
    <message>
        <source>%1

%2</source>
        <translation>%1

%2</translation>
    </message>
    <message>
        <source>Layer similarity failed</source>
        <translation>Falló la similitud entre capas</translation>
    </message>
    <message>
        <source>About Anatomist</source>
        <translation>Acerca de Anatomist</translation>
    </message>
    <message>
        <source>&lt;b&gt;Anatomist&lt;/b&gt; %1&lt;br&gt;A desktop workbench for the anatomy of language models: module trees, layer similarity and more.</source>
        <translation>&lt;b&gt;Anatomist&lt;/b&gt; %1&lt;br&gt;Un banco de trabajo de escritorio para la anatomía de los modelos de lenguaje: árboles de módulos, similitud entre capas y más.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tarea en curso</numerusform>
            <numerusform>%n tareas en curso</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>Cancelado: %1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capas</translation>
    </message>
    <message>
        <source>Modules</source>
        <translation>Módulos</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Tareas</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open folder…</source>
        <translation>&amp;Abrir carpeta…</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>Abrir una carpeta de modelo de Hugging Face</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Vaciar la lista</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>A&amp;nálisis</translation>
    </message>
    <message>
        <source>Run &amp;layer similarity</source>
        <translation>Calcular la similitud entre &amp;capas</translation>
    </message>
    <message>
        <source>&amp;Cancel all jobs</source>
        <translation>&amp;Cancelar todas las tareas</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
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
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About Anatomist</source>
        <translation>&amp;Acerca de Anatomist</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>Abrir una carpeta de modelo</translation>
    </message>
    <message>
        <source>model</source>
        <translation>modelo</translation>
    </message>
    <message>
        <source>Variant %1 added</source>
        <translation>Variante %1 añadida</translation>
    </message>
    <message>
        <source>Discarded the result of %1: the model changed meanwhile</source>
        <translation>Se descartó el resultado de %1: el modelo cambió mientras tanto</translation>
    </message>
    <message>
        <source>Pruning plan</source>
        <translation>Plan de poda</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rehacer</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportado a %1</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>Generación</translation>
    </message>
    <message>
        <source>&amp;Export variant…</source>
        <translation>&amp;Exportar variante…</translation>
    </message>
    <message>
        <source>Write the base or a variant as a Hugging Face folder or a GGUF file</source>
        <translation>Escribir la base o una variante como carpeta de Hugging Face o archivo GGUF</translation>
    </message>
    <message>
        <source>%1[*] — Anatomist</source>
        <translation>%1[*] — Anatomist</translation>
    </message>
    <message>
        <source>Added to the pruning plan</source>
        <translation>Añadido al plan de poda</translation>
    </message>
    <message>
        <source>Session %1 opened</source>
        <translation>Sesión %1 abierta</translation>
    </message>
    <message>
        <source>Open &amp;session…</source>
        <translation>Abrir &amp;sesión…</translation>
    </message>
    <message>
        <source>Recent s&amp;essions</source>
        <translation>S&amp;esiones recientes</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>&amp;Guardar la sesión</translation>
    </message>
    <message>
        <source>Save session &amp;as…</source>
        <translation>Guardar la sesión &amp;como…</translation>
    </message>
    <message>
        <source>Anatomist[*]</source>
        <translation>Anatomist[*]</translation>
    </message>
    <message>
        <source>&amp;%1 %2 (missing)</source>
        <translation>&amp;%1 %2 (no existe)</translation>
    </message>
    <message>
        <source>%1 no longer exists</source>
        <translation>%1 ya no existe</translation>
    </message>
    <message>
        <source>Could not open the session</source>
        <translation>No se pudo abrir la sesión</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent sessions.</source>
        <translation>%1 ya no existe; se ha quitado de las sesiones recientes.</translation>
    </message>
    <message>
        <source>Open a session</source>
        <translation>Abrir una sesión</translation>
    </message>
    <message>
        <source>Anatomist sessions (*.anatomist);;JSON (*.json);;All files (*)</source>
        <translation>Sesiones de Anatomist (*.anatomist);;JSON (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>Guardar la sesión</translation>
    </message>
    <message>
        <source>Anatomist sessions (*.anatomist);;All files (*)</source>
        <translation>Sesiones de Anatomist (*.anatomist);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>Sesión guardada en %1</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>The plan or the variants changed since the session was saved. Save the session?</source>
        <translation>El plan o las variantes han cambiado desde que se guardó la sesión. ¿Guardar la sesión?</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>Destilación</translation>
    </message>
    <message>
        <source>Stop the distillation?</source>
        <translation>¿Detener la destilación?</translation>
    </message>
    <message>
        <source>A distillation is running. Stop it now? A checkpoint is kept in %1, and Continue in the Distillation tab picks up from there.</source>
        <translation>Hay una destilación en curso. ¿Detenerla ahora? Se guarda un punto de control en %1, y Continuar en la pestaña Destilación sigue desde ahí.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so no text can be run through it.</source>
        <translation>Esta carpeta de modelo no tiene tokenizador, así que no se puede pasar texto por el modelo.</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>Análisis</translation>
    </message>
    <message>
        <source>Layer similarity, activations, contrastive pairs, neuron importance, logit lens</source>
        <translation>Similitud entre capas, activaciones, pares contrastivos, importancia de neuronas, lente de logits</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>Poda</translation>
    </message>
    <message>
        <source>Pruning plan, variants, healing by distillation, comparison, playground</source>
        <translation>Plan de poda, variantes, recuperación por destilación, comparación, generación</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>Similitud</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Open &amp;GGUF file…</source>
        <translation>Abrir archivo &amp;GGUF…</translation>
    </message>
    <message>
        <source>Open a llama.cpp GGUF model file</source>
        <translation>Abrir un archivo de modelo GGUF de llama.cpp</translation>
    </message>
    <message>
        <source>No model — open a folder (Ctrl+O) or a GGUF file, or drop one here</source>
        <translation>Ningún modelo: abra una carpeta (Ctrl+O) o un archivo GGUF, o suéltelo aquí</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf *.GGUF);;All files (*)</source>
        <translation>Modelos GGUF (*.gguf *.GGUF);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open a GGUF model</source>
        <translation>Abrir un modelo GGUF</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ModelController</name>
    <message>
        <source>Loading %1</source>
        <translation>Cargando %1</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>%1 (%2 % of the model)</source>
        <translation>%1 (%2 % del modelo)</translation>
    </message>
    <message>
        <source>Removing it saves</source>
        <translation>Eliminarlo ahorra</translation>
    </message>
    <message>
        <source>%1 parameters, %2 in float32, %3 in bfloat16</source>
        <translation>%1 parámetros, %2 en float32, %3 en bfloat16</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>Hijos</translation>
    </message>
    <message>
        <source>There is no file or folder at this path.</source>
        <translation>No hay ningún archivo ni carpeta en esta ruta.</translation>
    </message>
    <message>
        <source>Weight statistics of %1</source>
        <translation>Estadísticas de pesos de %1</translation>
    </message>
    <message>
        <source>the model</source>
        <translation>el modelo</translation>
    </message>
    <message>
        <source>%1 is not a model: open a model folder, its config.json or a .gguf file.</source>
        <translation>%1 no es un modelo: abra una carpeta de modelo, su config.json o un archivo .gguf.</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Almacenado</translation>
    </message>
    <message>
        <source>%1, %2 in the file</source>
        <translation>%1, %2 en el archivo</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::NeuronController</name>
    <message>
        <source>activation norms measured on the built-in sample text</source>
        <translation>normas de activación medidas en el texto de muestra integrado</translation>
    </message>
    <message>
        <source>bias measured on the prompt pairs of the Contrastive pairs tab</source>
        <translation>sesgo medido en los pares de la pestaña Pares contrastivos</translation>
    </message>
    <message>
        <source>computed from the weights alone</source>
        <translation>calculado solo a partir de los pesos</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importancia de neuronas</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::PlanController</name>
    <message>
        <source>The pruning engine is not part of this build, so a plan can be made and saved (anatomist-cli prune --plan) but not applied here.</source>
        <translation>El motor de poda no forma parte de esta compilación: se puede crear y guardar un plan (anatomist-cli prune --plan), pero no aplicarlo aquí.</translation>
    </message>
    <message>
        <source>Could not apply the plan</source>
        <translation>No se pudo aplicar el plan</translation>
    </message>
    <message>
        <source>base</source>
        <translation>base</translation>
    </message>
    <message>
        <source>the model as loaded</source>
        <translation>el modelo tal como se cargó</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>variante</translation>
    </message>
    <message>
        <source>This plan is for another model</source>
        <translation>Este plan es para otro modelo</translation>
    </message>
    <message>
        <source>Pruning → %1</source>
        <translation>Poda → %1</translation>
    </message>
    <message>
        <source>Could not measure perplexity</source>
        <translation>No se pudo medir la perplejidad</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so the sample text cannot be turned into tokens.</source>
        <translation>Esta carpeta de modelo no tiene tokenizador, así que el texto de muestra no se puede convertir en tokens.</translation>
    </message>
    <message numerus="yes">
        <source>Perplexity of %n model(s)</source>
        <translation>
            <numerusform>Perplejidad de %n modelo</numerusform>
            <numerusform>Perplejidad de %n modelos</numerusform>
        </translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>todas las capas</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>capa %1</translation>
    </message>
    <message>
        <source>Remove %1 % of the MLP neurons of %2 (%3)</source>
        <translation>Eliminar el %1 % de las neuronas MLP de %2 (%3)</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::SessionController</name>
    <message>
        <source>%1: the model %2 could not be opened: %3</source>
        <translation>%1: no se pudo abrir el modelo %2: %3</translation>
    </message>
    <message>
        <source>Could not restore the variants</source>
        <translation>No se pudieron restaurar las variantes</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Could not save the session</source>
        <translation>No se pudo guardar la sesión</translation>
    </message>
    <message>
        <source>Open a model first: a session starts from a model.</source>
        <translation>Abra primero un modelo: una sesión parte de un modelo.</translation>
    </message>
    <message>
        <source>%1: %2 no longer fits the model %3.
%4</source>
        <translation>%1: %2 ya no encaja con el modelo %3.
%4</translation>
    </message>
    <message>
        <source>Could not open the session</source>
        <translation>No se pudo abrir la sesión</translation>
    </message>
    <message>
        <source>%1: the model %2 is missing (moved or deleted?)</source>
        <translation>%1: falta el modelo %2 (¿movido o borrado?)</translation>
    </message>
    <message>
        <source>%1: the folder of variant %2 is missing: %3</source>
        <translation>%1: falta la carpeta de la variante %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n variant(s)</source>
        <translation>
            <numerusform>Restaurando %n variante</numerusform>
            <numerusform>Restaurando %n variantes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>anatomist::gui::SimilarityController</name>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so a text dataset cannot be turned into tokens. Add tokenizer.model or tokenizer.json to %1.</source>
        <translation>Esta carpeta de modelo no tiene tokenizador, así que un conjunto de textos no se puede convertir en tokens. Añada tokenizer.model o tokenizer.json a %1.</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capas</translation>
    </message>
    <message>
        <source>The comparison dataset could not be measured; the main result is shown.

%1</source>
        <translation>No se pudo medir el conjunto de comparación; se muestra el resultado principal.

%1</translation>
    </message>
</context>
<context>
    <name>anatomist::gui::ViewController</name>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>This model folder has no tokenizer, so a prompt cannot be turned into tokens. Add tokenizer.model or tokenizer.json to %1.</source>
        <translation>Esta carpeta de modelo no tiene tokenizador, así que un texto no se puede convertir en tokens. Añada tokenizer.model o tokenizer.json a %1.</translation>
    </message>
    <message>
        <source>The prompt has %1 tokens but this model reads at most %2. Shorten it: it is not cut.</source>
        <translation>El texto tiene %1 tokens, pero este modelo lee como máximo %2. Acórtelo: no se recorta automáticamente.</translation>
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
        <translation>neuronas %1–%2 (color = su media): %3</translation>
    </message>
    <message>
        <source>layer %1: mean |activation| %2 (click to show it)</source>
        <translation>capa %1: |activación| media %2 (clic para mostrarla)</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Texto:</translation>
    </message>
    <message>
        <source>Type a prompt, then press Run</source>
        <translation>Escriba un texto y pulse Ejecutar</translation>
    </message>
    <message>
        <source>Component:</source>
        <translation>Componente:</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>Neuron bins:</source>
        <translation>Agrupar neuronas:</translation>
    </message>
    <message>
        <source>Clip colours at percentile:</source>
        <translation>Recortar colores en el percentil:</translation>
    </message>
    <message>
        <source>Values beyond this percentile of |activation| get the end colour, so that a few outliers do not wash out the map</source>
        <translation>Los valores más allá de este percentil de |activación| reciben el color del extremo, para que unos pocos valores atípicos no apaguen el mapa</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>exacto</translation>
    </message>
    <message>
        <source>%1 neurons</source>
        <translation>%1 neuronas</translation>
    </message>
    <message>
        <source>Wide layers are shown as the mean of each bin until you zoom in to %1 neurons or fewer (mouse wheel on the map; double-click resets)</source>
        <translation>Las capas anchas se muestran como la media de cada grupo hasta que se amplía a %1 neuronas o menos (rueda del ratón sobre el mapa; doble clic restablece)</translation>
    </message>
    <message>
        <source>attn_norm: input of attention · attn_out: attention output · mlp_out: MLP output · gate/up: MLP projections · act: input of down_proj · out: residual stream after the block · q/k/v: attention projections</source>
        <translation>attn_norm: entrada de la atención · attn_out: salida de la atención · mlp_out: salida del MLP · gate/up: proyecciones del MLP · act: entrada de down_proj · out: flujo residual tras el bloque · q/k/v: proyecciones de la atención</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Capture the activations of this prompt</source>
        <translation>Capturar las activaciones de este texto</translation>
    </message>
    <message>
        <source>Running the model on the prompt…</source>
        <translation>Ejecutando el modelo sobre el texto…</translation>
    </message>
    <message>
        <source>Type a prompt and press Run to see, for every token, the activations of each neuron of the chosen component, layer by layer.</source>
        <translation>Escriba un texto y pulse Ejecutar para ver, para cada token, las activaciones de cada neurona del componente elegido, capa a capa.</translation>
    </message>
    <message>
        <source>%1 · %2 tokens × %3 neurons · layer %4 of %5 · mean |activation| %6</source>
        <translation>%1 · %2 tokens × %3 neuronas · capa %4 de %5 · |activación| media %6</translation>
    </message>
    <message>
        <source>token</source>
        <translation>token</translation>
    </message>
    <message>
        <source>neuron (mean of each %1; zoom in for single neurons)</source>
        <translation>neurona (media de cada %1; amplíe para ver neuronas sueltas)</translation>
    </message>
    <message>
        <source>neuron</source>
        <translation>neurona</translation>
    </message>
    <message>
        <source>%1 (clipped at percentile %2)</source>
        <translation>%1 (recortado en el percentil %2)</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>capa</translation>
    </message>
    <message>
        <source>mean |activation|</source>
        <translation>|activación| media</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Activaciones</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::CompareView</name>
    <message>
        <source>Export plot</source>
        <translation>Exportar el gráfico</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imagen PNG (*.png);;Imagen SVG (*.svg);;Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Exportar los datos</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>Tabla CSV (*.csv)</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>sin medir</translation>
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
        <translation>iguales</translation>
    </message>
    <message>
        <source>differ</source>
        <translation>distintas</translation>
    </message>
    <message>
        <source>base layer</source>
        <translation>capa de la base</translation>
    </message>
    <message>
        <source>block cosine cos(x_in, x_out)</source>
        <translation>coseno del bloque cos(x_in, x_out)</translation>
    </message>
    <message>
        <source>Similarity curves appear after Measure.</source>
        <translation>Las curvas de similitud aparecen tras Medir.</translation>
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
        <translation>cambiada</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>se conserva</translation>
    </message>
    <message>
        <source>bypassed</source>
        <translation>omitida</translation>
    </message>
    <message>
        <source>fewer heads</source>
        <translation>menos cabezas</translation>
    </message>
    <message>
        <source>%1 heads</source>
        <translation>%1 cabezas</translation>
    </message>
    <message>
        <source>narrower</source>
        <translation>más estrecha</translation>
    </message>
    <message>
        <source>%1 neurons</source>
        <translation>%1 neuronas</translation>
    </message>
    <message>
        <source>Removed parts: pick a variant to see what it removed from the base.</source>
        <translation>Partes eliminadas: elija una variante para ver qué quitó de la base.</translation>
    </message>
    <message>
        <source>versus</source>
        <translation>frente a</translation>
    </message>
    <message>
        <source>Model A (the reference of the delta column)</source>
        <translation>Modelo A (la referencia de la columna Δ)</translation>
    </message>
    <message>
        <source>Model B</source>
        <translation>Modelo B</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Medir</translation>
    </message>
    <message>
        <source>Perplexity on the built-in sample, prefill and decode speed, and layer similarity of both models, in the background</source>
        <translation>Perplejidad en la muestra integrada, velocidad de prellenado y de decodificación, y similitud de capas de ambos modelos, en segundo plano</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exportar gráfico…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exportar datos…</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memoria</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>Capas del decodificador</translation>
    </message>
    <message>
        <source>MLP widths</source>
        <translation>Anchuras MLP</translation>
    </message>
    <message>
        <source>Perplexity (sample)</source>
        <translation>Perplejidad (muestra)</translation>
    </message>
    <message>
        <source>Prefill tokens/s</source>
        <translation>Prellenado, tokens/s</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>Decodificación, tokens/s</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>Parte</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>What “%1” keeps of the base (removed parts greyed out)</source>
        <translation>Qué conserva «%1» de la base (lo eliminado, en gris)</translation>
    </message>
    <message>
        <source>Block similarity by base layer: %1 and %2</source>
        <translation>Similitud de bloques por capa de la base: %1 y %2</translation>
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
        <translation>Cargar pares de textos</translation>
    </message>
    <message>
        <source>Prompt pairs (*.jsonl *.ndjson *.csv);;All files (*)</source>
        <translation>Pares de textos (*.jsonl *.ndjson *.csv);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>%1 max</source>
        <translation>%1 máx.</translation>
    </message>
    <message>
        <source>layer (click to show its PCA)</source>
        <translation>capa (clic para ver su PCA)</translation>
    </message>
    <message>
        <source>mean |A − B| (solid: mean, dashed: max across pairs)</source>
        <translation>|A − B| media (continua: media, discontinua: máximo entre pares)</translation>
    </message>
    <message>
        <source>mean |A − B|</source>
        <translation>|A − B| media</translation>
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
        <translation>Calculando la PCA de este par…</translation>
    </message>
    <message>
        <source>PC1 (%1 % of variance)</source>
        <translation>CP1 (%1 % de la varianza)</translation>
    </message>
    <message>
        <source>PC2 (%1 % of variance)</source>
        <translation>CP2 (%1 % de la varianza)</translation>
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
        <translation>componente</translation>
    </message>
    <message>
        <source>mean over layers</source>
        <translation>media sobre capas</translation>
    </message>
    <message>
        <source>max across pairs</source>
        <translation>máximo entre pares</translation>
    </message>
    <message>
        <source>last / first layer</source>
        <translation>última / primera capa</translation>
    </message>
    <message>
        <source>layer of max</source>
        <translation>capa del máximo</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>media</translation>
    </message>
    <message>
        <source>max</source>
        <translation>máx.</translation>
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
        <translation>todos los componentes</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: token by token.&lt;/b&gt; Both prompts have %1 tokens; row t of A is compared with row t of B.</source>
        <translation>&lt;b&gt;Alineación: token a token.&lt;/b&gt; Ambos textos tienen %1 tokens; la fila t de A se compara con la fila t de B.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: common prefix and suffix.&lt;/b&gt; A has %1 tokens and B %2: the first %3 and the last %4 tokens are compared row by row, and the differing spans (A tokens %5–%6, B tokens %7–%8) by their means.</source>
        <translation>&lt;b&gt;Alineación: prefijo y sufijo comunes.&lt;/b&gt; A tiene %1 tokens y B %2: los %3 primeros y los %4 últimos tokens se comparan fila a fila, y los tramos que difieren (tokens %5–%6 de A, tokens %7–%8 de B) por sus medias.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alignment: mean-pooled.&lt;/b&gt; A has %1 tokens and B %2; each prompt&apos;s token vectors are averaged and the two means compared.</source>
        <translation>&lt;b&gt;Alineación: promedio.&lt;/b&gt; A tiene %1 tokens y B %2; se promedian los vectores de los tokens de cada texto y se comparan las dos medias.</translation>
    </message>
    <message>
        <source>Statistics are over every element of |A − B| of all layers.</source>
        <translation>Las estadísticas son sobre todos los elementos de |A − B| de todas las capas.</translation>
    </message>
    <message>
        <source>Prompt A</source>
        <translation>Texto A</translation>
    </message>
    <message>
        <source>Prompt B</source>
        <translation>Texto B</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categoría</translation>
    </message>
    <message>
        <source>Load pairs…</source>
        <translation>Cargar pares…</translation>
    </message>
    <message>
        <source>Read a pair set: JSONL with &quot;a&quot;, &quot;b&quot; and optional &quot;category&quot;, or CSV with a header row naming those columns</source>
        <translation>Leer un conjunto de pares: JSONL con &quot;a&quot;, &quot;b&quot; y &quot;category&quot; opcional, o CSV con una fila de cabecera que nombre esas columnas</translation>
    </message>
    <message>
        <source>Add pair</source>
        <translation>Añadir par</translation>
    </message>
    <message>
        <source>Remove pair</source>
        <translation>Quitar par</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Compare the activations of every pair (attn_out, mlp_out, out)</source>
        <translation>Comparar las activaciones de cada par (attn_out, mlp_out, out)</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>selected pair</source>
        <translation>par seleccionado</translation>
    </message>
    <message>
        <source>pair %1: %2</source>
        <translation>par %1: %2</translation>
    </message>
    <message>
        <source>category “%1”</source>
        <translation>categoría «%1»</translation>
    </message>
    <message>
        <source>PCA of:</source>
        <translation>PCA de:</translation>
    </message>
    <message>
        <source>at layer:</source>
        <translation>en la capa:</translation>
    </message>
    <message>
        <source>Comparing the pairs…</source>
        <translation>Comparando los pares…</translation>
    </message>
    <message>
        <source>Type prompt pairs that differ in one attribute (or load a pair set) and press Run to see where in the model the two prompts diverge.</source>
        <translation>Escriba pares de textos que difieran en un atributo (o cargue un conjunto de pares) y pulse Ejecutar para ver en qué punto del modelo divergen los dos textos.</translation>
    </message>
    <message>
        <source>increasing</source>
        <translation>creciente</translation>
    </message>
    <message>
        <source>Pairs in this group: %1. Each pair&apos;s alignment is shown when it is selected.</source>
        <translation>Pares en este grupo: %1. La alineación de cada par se muestra al seleccionarlo.</translation>
    </message>
    <message>
        <source>Pairs: %1</source>
        <translation>Pares: %1</translation>
    </message>
    <message>
        <source>Pairs: %1 (built-in examples)</source>
        <translation>Pares: %1 (ejemplos integrados)</translation>
    </message>
    <message>
        <source>Pairs: %1 (from %2)</source>
        <translation>Pares: %1 (de %2)</translation>
    </message>
    <message>
        <source>all pairs (%1): mean and max across pairs</source>
        <translation>todos los pares (%1): media y máximo entre pares</translation>
    </message>
    <message>
        <source>Pairs compared: %1, in %2 s</source>
        <translation>Pares comparados: %1, en %2 s</translation>
    </message>
    <message>
        <source>Audit report written to %1</source>
        <translation>Informe de auditoría escrito en %1</translation>
    </message>
    <message>
        <source>Export audit report</source>
        <translation>Exportar el informe de auditoría</translation>
    </message>
    <message>
        <source>Pairs: %1 (all default sets)</source>
        <translation>Pares: %1 (todos los conjuntos predeterminados)</translation>
    </message>
    <message>
        <source>Pairs: %1 (default set “%2”)</source>
        <translation>Pares: %1 (conjunto predeterminado «%2»)</translation>
    </message>
    <message>
        <source>Pair set:</source>
        <translation>Conjunto de pares:</translation>
    </message>
    <message>
        <source>The project&apos;s own prompt pairs for one bias category, or the built-in examples</source>
        <translation>Los pares de prompts propios del proyecto para una categoría de sesgo, o los ejemplos integrados</translation>
    </message>
    <message>
        <source>examples</source>
        <translation>ejemplos</translation>
    </message>
    <message>
        <source>all categories</source>
        <translation>todas las categorías</translation>
    </message>
    <message>
        <source>Export audit report…</source>
        <translation>Exportar informe de auditoría…</translation>
    </message>
    <message>
        <source>Per layer and PCA</source>
        <translation>Por capa y PCA</translation>
    </message>
    <message>
        <source>Difference heatmap</source>
        <translation>Mapa de calor de diferencias</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF document (*.pdf);;JSON data (*.json)</source>
        <translation>Informe HTML (*.html);;Documento PDF (*.pdf);;Datos JSON (*.json)</translation>
    </message>
    <message>
        <source>Run the fairness audit on these pairs and write a self-contained HTML report, a PDF or the JSON numbers (the same as anatomist-cli audit)</source>
        <translation>Ejecutar la auditoría de equidad con estos pares y escribir un informe HTML autónomo, un PDF o los números en JSON (lo mismo que anatomist-cli audit)</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DifferenceHeatmap</name>
    <message>
        <source>pair %1 (%2)
layer %3
%4 of %5: %6</source>
        <translation>par %1 (%2)
capa %3
%4 de %5: %6</translation>
    </message>
    <message>
        <source>layer (click a cell to show that pair and layer)</source>
        <translation>capa (clic en una celda para ver ese par y esa capa)</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Exportar el gráfico</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imagen PNG (*.png);;Imagen SVG (*.svg);;Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
    <message>
        <source>Metric:</source>
        <translation>Métrica:</translation>
    </message>
    <message>
        <source>cosine distance</source>
        <translation>distancia coseno</translation>
    </message>
    <message>
        <source>mean |A − B|</source>
        <translation>|A − B| media</translation>
    </message>
    <message>
        <source>Cosine distance: 1 − cos of the aligned token vectors, averaged; it ignores the size of the activations. Mean |A − B|: the mean absolute difference, which grows with the activations.</source>
        <translation>Distancia coseno: 1 − cos de los vectores de tokens alineados, promediada; no depende del tamaño de las activaciones. |A − B| media: la diferencia absoluta media, que crece con las activaciones.</translation>
    </message>
    <message>
        <source>Component:</source>
        <translation>Componente:</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exportar gráfico…</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DistillPanel</name>
    <message>
        <source>Resume a distillation run</source>
        <translation>Reanudar una ejecución de destilación</translation>
    </message>
    <message>
        <source>Not running. Choose a student and press Start.</source>
        <translation>Sin ejecutar. Elija un alumno y pulse Iniciar.</translation>
    </message>
    <message>
        <source>Paused before the first step.</source>
        <translation>En pausa antes del primer paso.</translation>
    </message>
    <message>
        <source>Preparing: loading the teacher and the student, reading the text…</source>
        <translation>Preparando: cargando el maestro y el alumno, leyendo el texto…</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3 tokens/s</source>
        <translation>Paso %1 de %2 · %3 tokens/s</translation>
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
        <translation> · quedan unos %1</translation>
    </message>
    <message>
        <source> · paused</source>
        <translation> · en pausa</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <source>Run folder</source>
        <translation>Carpeta de ejecución</translation>
    </message>
    <message>
        <source>Text for distillation</source>
        <translation>Texto para la destilación</translation>
    </message>
    <message>
        <source>Text (*.txt *.jsonl *.ndjson);;All files (*)</source>
        <translation>Texto (*.txt *.jsonl *.ndjson);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Export the curve data</source>
        <translation>Exportar los datos de las curvas</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export the plot</source>
        <translation>Exportar el gráfico</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.pdf)</source>
        <translation>Imágenes (*.png *.svg *.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>La exportación ha fallado</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
    <message>
        <source>Heal a variant by distillation</source>
        <translation>Recuperar una variante por destilación</translation>
    </message>
    <message>
        <source>The student (a pruned variant) learns to reproduce the teacher (the base model) on the training text. The run continues in the background; its folder keeps a checkpoint, so a stopped run can be resumed.</source>
        <translation>El alumno (una variante podada) aprende a reproducir al maestro (el modelo base) sobre el texto de entrenamiento. La ejecución sigue en segundo plano; su carpeta guarda un punto de control, así que una ejecución detenida se puede reanudar.</translation>
    </message>
    <message>
        <source>No student yet: mark layers or neurons to remove, press Apply in the Pruning plan tab, then heal the variant here.</source>
        <translation>Aún no hay alumno: marque capas o neuronas para quitar, pulse Aplicar en la pestaña Plan de poda y después recupere aquí la variante.</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Teacher:</source>
        <translation>Maestro:</translation>
    </message>
    <message>
        <source>The base model, as loaded: it is only read, never changed.</source>
        <translation>El modelo base, tal como se cargó: solo se lee, nunca se modifica.</translation>
    </message>
    <message>
        <source>Student:</source>
        <translation>Alumno:</translation>
    </message>
    <message>
        <source>The variant to heal. It is copied into the run folder; the healed copy becomes a new variant.</source>
        <translation>La variante que se recupera. Se copia en la carpeta de ejecución; la copia recuperada pasa a ser una nueva variante.</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Training text:</source>
        <translation>Texto de entrenamiento:</translation>
    </message>
    <message>
        <source>built-in demo corpus</source>
        <translation>corpus de demostración integrado</translation>
    </message>
    <message>
        <source>A .txt file (documents separated by blank lines) or a .jsonl file (one object with a &quot;text&quot; field per line). Empty: the built-in demo corpus.</source>
        <translation>Un archivo .txt (documentos separados por líneas en blanco) o un archivo .jsonl (un objeto con un campo &quot;text&quot; por línea). Vacío: el corpus de demostración integrado.</translation>
    </message>
    <message>
        <source>Held-out text:</source>
        <translation>Texto de validación:</translation>
    </message>
    <message>
        <source>built-in sample text</source>
        <translation>texto de muestra integrado</translation>
    </message>
    <message>
        <source>Text the student never trains on: its perplexity is measured on it during the run, with the teacher&apos;s as the reference line. Empty: the built-in sample.</source>
        <translation>Texto con el que el alumno nunca entrena: su perplejidad se mide sobre él durante la ejecución, con la del maestro como línea de referencia. Vacío: la muestra integrada.</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Elegir un archivo</translation>
    </message>
    <message>
        <source>Loss = α·CE + β·KL + γ·hidden</source>
        <translation>Pérdida = α·CE + β·KL + γ·oculta</translation>
    </message>
    <message>
        <source>KL weight (β):</source>
        <translation>Peso de KL (β):</translation>
    </message>
    <message>
        <source>Kullback–Leibler divergence from the teacher&apos;s next-token distribution to the student&apos;s, both softened by the temperature (scaled by T²). Curve: &quot;kl&quot;.</source>
        <translation>Divergencia de Kullback–Leibler de la distribución del siguiente token del maestro a la del alumno, ambas suavizadas por la temperatura (escalada por T²). Curva: &quot;kl&quot;.</translation>
    </message>
    <message>
        <source>CE weight (α):</source>
        <translation>Peso de CE (α):</translation>
    </message>
    <message>
        <source>Cross-entropy of the student on the training text (predicting the actual next token). Curve: &quot;ce&quot;.</source>
        <translation>Entropía cruzada del alumno sobre el texto de entrenamiento (predecir el siguiente token real). Curva: &quot;ce&quot;.</translation>
    </message>
    <message>
        <source>Hidden weight (γ):</source>
        <translation>Peso oculto (γ):</translation>
    </message>
    <message>
        <source>Mean of 1 − cosine between each student layer&apos;s output and the output of the teacher layer it replaces (the layers the plan kept). 0 turns it off. Curve: &quot;hidden&quot;.</source>
        <translation>Media de 1 − coseno entre la salida de cada capa del alumno y la de la capa del maestro que sustituye (las capas que conservó el plan). 0 lo desactiva. Curva: &quot;hidden&quot;.</translation>
    </message>
    <message>
        <source>Temperature (T):</source>
        <translation>Temperatura (T):</translation>
    </message>
    <message>
        <source>Softens both distributions before the KL term; 2 is the usual value.</source>
        <translation>Suaviza ambas distribuciones antes del término KL; 2 es el valor habitual.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Entrenamiento</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Pasos:</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> pasos</translation>
    </message>
    <message>
        <source>Optimizer steps; each one sees batch × accumulation (4) sequences.</source>
        <translation>Pasos del optimizador; cada uno ve lote × acumulación (4) secuencias.</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Tasa de aprendizaje:</translation>
    </message>
    <message>
        <source>Peak AdamW learning rate: 5 % linear warm-up, then cosine decay to 5 % of it.</source>
        <translation>Tasa de aprendizaje máxima de AdamW: calentamiento lineal del 5 % y después caída coseno hasta el 5 % de ella.</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>Lote:</translation>
    </message>
    <message>
        <source> sequences</source>
        <translation> secuencias</translation>
    </message>
    <message>
        <source>Sequence length:</source>
        <translation>Longitud de secuencia:</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>Run folder:</source>
        <translation>Carpeta de ejecución:</translation>
    </message>
    <message>
        <source>new folder under runs/</source>
        <translation>carpeta nueva en runs/</translation>
    </message>
    <message>
        <source>Where the checkpoint, the event log and the healed model are written. Empty: a new folder named after the date and time in the application&apos;s runs folder.</source>
        <translation>Dónde se escriben el punto de control, el registro de eventos y el modelo recuperado. Vacío: una carpeta nueva con la fecha y la hora en la carpeta de ejecuciones de la aplicación.</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>Elegir una carpeta</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stops the run after the current step and keeps a checkpoint.</source>
        <translation>Detiene la ejecución tras el paso actual y guarda un punto de control.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Continues the stopped run from its checkpoint, on the same curve.</source>
        <translation>Continúa la ejecución detenida desde su punto de control, sobre la misma curva.</translation>
    </message>
    <message>
        <source>Resume a run…</source>
        <translation>Reanudar una ejecución…</translation>
    </message>
    <message>
        <source>Continues a run from the checkpoint in its folder.</source>
        <translation>Continúa una ejecución desde el punto de control de su carpeta.</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exportar gráfico…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exportar datos…</translation>
    </message>
    <message>
        <source>Pause is not available for a run on several processes: Cancel keeps a checkpoint, and Continue goes on from it.</source>
        <translation>La pausa no está disponible en una ejecución con varios procesos: Cancelar guarda un punto de control y Continuar sigue desde él.</translation>
    </message>
    <message>
        <source>Holds the run between two steps.</source>
        <translation>Detiene la ejecución entre dos pasos.</translation>
    </message>
    <message>
        <source>Processes:</source>
        <translation>Procesos:</translation>
    </message>
    <message>
        <source>1: the run is the window&apos;s own. More: anatomist-cli runs it on that many processes (data-parallel, on PyTorch&apos;s distributed engine); each takes its share of every batch, so the batch must be a multiple of the count. Such a run cannot pause.</source>
        <translation>1: la ejecución es de la propia ventana. Más: anatomist-cli la ejecuta en ese número de procesos (paralelismo de datos, con el motor distribuido de PyTorch); cada uno toma su parte de cada lote, así que el lote debe ser múltiplo del número. Esa ejecución no se puede pausar.</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA device %1</source>
        <translation>Dispositivo CUDA %1</translation>
    </message>
    <message>
        <source>CUDA (not available)</source>
        <translation>CUDA (no disponible)</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Dispositivo:</translation>
    </message>
    <message>
        <source>Where the teacher and the student run (all processes of a multi-process run use the same kind of device).</source>
        <translation>Dónde se ejecutan el maestro y el alumno (todos los procesos de una ejecución multiproceso usan el mismo tipo de dispositivo).</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::DurableSave</name>
    <message>
        <source>Could not write %1: %2</source>
        <translation>No se pudo escribir %1: %2</translation>
    </message>
    <message>
        <source>the content could not be produced</source>
        <translation>no se pudo producir el contenido</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ExportDialog</name>
    <message>
        <source>Writes a new folder with &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;model.safetensors&lt;/tt&gt; (the model&apos;s dtype) and the base&apos;s tokenizer files. The folder is written beside the destination and renamed onto it at the end, so a failed or cancelled export leaves nothing half-written.</source>
        <translation>Escribe una carpeta nueva con &lt;tt&gt;config.json&lt;/tt&gt;, &lt;tt&gt;model.safetensors&lt;/tt&gt; (en el dtype del modelo) y los archivos del tokenizador de la base. La carpeta se escribe junto al destino y se renombra sobre él al final, así que una exportación fallida o cancelada no deja nada a medio escribir.</translation>
    </message>
    <message>
        <source>&lt;tt&gt;variant.json&lt;/tt&gt; records the base (path and SHA-256), the plan, the kept layers and the per-layer sizes.</source>
        <translation>&lt;tt&gt;variant.json&lt;/tt&gt; registra la base (ruta y SHA-256), el plan, las capas conservadas y los tamaños por capa.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stock transformers cannot load this folder:&lt;/b&gt; its layers differ in size, so config.json also holds %1. Anatomist reads these keys; transformers ignores them and fails on the tensor shapes. For llama.cpp, export as GGUF instead.</source>
        <translation>&lt;b&gt;transformers estándar no puede cargar esta carpeta:&lt;/b&gt; sus capas difieren en tamaño, así que config.json también contiene %1. Anatomist lee estas claves; transformers las ignora y falla con las formas de los tensores. Para llama.cpp, exporte como GGUF.</translation>
    </message>
    <message>
        <source>Every layer has the shape config.json describes, so stock transformers loads the folder (AutoModelForCausalLM.from_pretrained) as well as Anatomist.</source>
        <translation>Todas las capas tienen la forma que describe config.json, así que transformers estándar carga la carpeta (AutoModelForCausalLM.from_pretrained), igual que Anatomist.</translation>
    </message>
    <message>
        <source>Bypassed attention blocks keep their weights with &lt;tt&gt;o_proj&lt;/tt&gt; set to zero, so stock loaders compute the same outputs; &lt;tt&gt;anatomist_attention_bypass&lt;/tt&gt; lets Anatomist skip those blocks.</source>
        <translation>Los bloques de atención omitidos conservan sus pesos con &lt;tt&gt;o_proj&lt;/tt&gt; a cero, así que los cargadores estándar calculan las mismas salidas; &lt;tt&gt;anatomist_attention_bypass&lt;/tt&gt; permite a Anatomist saltarse esos bloques.</translation>
    </message>
    <message>
        <source>Writes one &lt;tt&gt;.gguf&lt;/tt&gt; file with llama.cpp&apos;s tensor names and keys, atomically. Matrices are stored in the chosen type; norms and biases stay F32, and matrices whose rows are not whole Q8_0 blocks fall back to F16, as llama.cpp&apos;s converter does.</source>
        <translation>Escribe un único archivo &lt;tt&gt;.gguf&lt;/tt&gt; con los nombres de tensores y las claves de llama.cpp, de forma atómica. Las matrices se guardan en el tipo elegido; normas y sesgos quedan en F32, y las matrices cuyas filas no son bloques Q8_0 completos pasan a F16, como hace el conversor de llama.cpp.</translation>
    </message>
    <message>
        <source>Bypassed attention blocks are written with &lt;tt&gt;o_proj&lt;/tt&gt; set to zero: llama.cpp computes them (no speed-up there) but they add nothing, so the outputs are the same.</source>
        <translation>Los bloques de atención omitidos se escriben con &lt;tt&gt;o_proj&lt;/tt&gt; a cero: llama.cpp los calcula (allí no hay aceleración) pero no suman nada, así que las salidas son las mismas.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No vocabulary:&lt;/b&gt; the source has no &lt;tt&gt;tokenizer.model&lt;/tt&gt;, so the file holds no tokenizer and llama.cpp cannot turn text into tokens with it.</source>
        <translation>&lt;b&gt;Sin vocabulario:&lt;/b&gt; el origen no tiene &lt;tt&gt;tokenizer.model&lt;/tt&gt;, así que el archivo no lleva tokenizador y llama.cpp no puede convertir texto en tokens con él.</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>Abra primero un modelo.</translation>
    </message>
    <message>
        <source>Export as GGUF</source>
        <translation>Exportar como GGUF</translation>
    </message>
    <message>
        <source>GGUF file (*.gguf)</source>
        <translation>Archivo GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>New folder for the export</source>
        <translation>Carpeta nueva para la exportación</translation>
    </message>
    <message>
        <source>Export variant</source>
        <translation>Exportar variante</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Formato:</translation>
    </message>
    <message>
        <source>&amp;Hugging Face folder</source>
        <translation>Carpeta de &amp;Hugging Face</translation>
    </message>
    <message>
        <source>&amp;GGUF file (llama.cpp)</source>
        <translation>Archivo &amp;GGUF (llama.cpp)</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>Tensor type of the matrices: f32 exact, f16 / bf16 half the size, q8_0 about a quarter</source>
        <translation>Tipo de tensor de las matrices: f32 exacto, f16 / bf16 la mitad de tamaño, q8_0 alrededor de una cuarta parte</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>&amp;Destino:</translation>
    </message>
    <message>
        <source>A new folder, or a .gguf file</source>
        <translation>Una carpeta nueva o un archivo .gguf</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>E&amp;xaminar…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>The MLP widths differ between layers: the file uses llama.cpp&apos;s &lt;tt&gt;deci&lt;/tt&gt; architecture with a per-layer &lt;tt&gt;deci.feed_forward_length&lt;/tt&gt; array, which llama.cpp and Anatomist read; tools that only know the &lt;tt&gt;llama&lt;/tt&gt; architecture cannot load it.</source>
        <translation>Las anchuras MLP difieren entre capas: el archivo usa la arquitectura &lt;tt&gt;deci&lt;/tt&gt; de llama.cpp con una lista &lt;tt&gt;deci.feed_forward_length&lt;/tt&gt; por capa, que leen llama.cpp y Anatomist; las herramientas que solo conocen la arquitectura &lt;tt&gt;llama&lt;/tt&gt; no pueden cargarlo.</translation>
    </message>
    <message>
        <source>&lt;b&gt;This model cannot be written as GGUF:&lt;/b&gt; %1. Export it as a Hugging Face folder instead.</source>
        <translation>&lt;b&gt;Este modelo no se puede escribir como GGUF:&lt;/b&gt; %1. Expórtelo como carpeta de Hugging Face.</translation>
    </message>
    <message>
        <source>llama.cpp has no architecture for it</source>
        <translation>llama.cpp no tiene una arquitectura para él</translation>
    </message>
    <message>
        <source>The attention head counts differ between layers: the file uses llama.cpp&apos;s &lt;tt&gt;deci&lt;/tt&gt; architecture with per-layer &lt;tt&gt;deci.attention.head_count&lt;/tt&gt; and &lt;tt&gt;deci.attention.head_count_kv&lt;/tt&gt; arrays, which llama.cpp and Anatomist read; tools that only know the &lt;tt&gt;llama&lt;/tt&gt; architecture cannot load it.</source>
        <translation>El número de cabezas de atención difiere entre capas: el archivo usa la arquitectura &lt;tt&gt;deci&lt;/tt&gt; de llama.cpp con las listas por capa &lt;tt&gt;deci.attention.head_count&lt;/tt&gt; y &lt;tt&gt;deci.attention.head_count_kv&lt;/tt&gt;, que leen llama.cpp y Anatomist; las herramientas que solo conocen la arquitectura &lt;tt&gt;llama&lt;/tt&gt; no pueden cargarlo.</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::HeadsEditor</name>
    <message>
        <source>Remove KV group %1 of layer %2</source>
        <translation>Eliminar el grupo KV %1 de la capa %2</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n query head(s) per KV group in every layer</source>
        <translation>
            <numerusform>Eliminar %n cabeza de consulta por grupo KV en todas las capas</numerusform>
            <numerusform>Eliminar %n cabezas de consulta por grupo KV en todas las capas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Remove %n query head(s) per KV group in layer %1</source>
        <translation>
            <numerusform>Eliminar %n cabeza de consulta por grupo KV en la capa %1</numerusform>
            <numerusform>Eliminar %n cabezas de consulta por grupo KV en la capa %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Removes the query heads with the lowest L2 norm (q_proj rows and o_proj columns) from every KV group</source>
        <translation>Elimina de cada grupo KV las cabezas de consulta con la menor norma L2 (filas de q_proj y columnas de o_proj)</translation>
    </message>
    <message>
        <source>Each KV group has one query head: remove whole KV groups instead</source>
        <translation>Cada grupo KV tiene una sola cabeza de consulta: elimine grupos KV enteros</translation>
    </message>
    <message>
        <source>Open a model to edit its heads.</source>
        <translation>Abra un modelo para editar sus cabezas.</translation>
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
        <translation>Cabezas de atención</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>KV group:</source>
        <translation>Grupo KV:</translation>
    </message>
    <message>
        <source>Remove group</source>
        <translation>Eliminar el grupo</translation>
    </message>
    <message>
        <source>Remove this KV head together with every query head that reads it</source>
        <translation>Eliminar esta cabeza KV junto con todas las cabezas de consulta que la leen</translation>
    </message>
    <message>
        <source>Query heads per group:</source>
        <translation>Cabezas de consulta por grupo:</translation>
    </message>
    <message>
        <source>this layer</source>
        <translation>esta capa</translation>
    </message>
    <message>
        <source>every layer</source>
        <translation>todas las capas</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>kept: %1/%2 query, %3/%4 KV heads</source>
        <translation>se conservan: %1/%2 cabezas de consulta, %3/%4 KV</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::JobsPanel</name>
    <message>
        <source>cancelling…</source>
        <translation>cancelando…</translation>
    </message>
    <message>
        <source>No jobs running</source>
        <translation>No hay tareas en curso</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel this job</source>
        <translation>Cancelar esta tarea</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::LogitLensView</name>
    <message>
        <source>%1 (output)</source>
        <translation>%1 (salida)</translation>
    </message>
    <message>
        <source>layer %1, after token %2 “%3”:</source>
        <translation>capa %1, tras el token %2 «%3»:</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>probabilidad</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Texto:</translation>
    </message>
    <message>
        <source>Type a prompt, then press Run</source>
        <translation>Escriba un texto y pulse Ejecutar</translation>
    </message>
    <message>
        <source>Top k:</source>
        <translation>Los k primeros:</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Decode every layer&apos;s residual stream with the final norm and the unembedding</source>
        <translation>Decodificar el flujo residual de cada capa con la norma final y la matriz de salida</translation>
    </message>
    <message>
        <source>Running the model on the prompt…</source>
        <translation>Ejecutando el modelo sobre el texto…</translation>
    </message>
    <message>
        <source>Type a prompt and press Run to see which next token each layer would predict if it were the last one.</source>
        <translation>Escriba un texto y pulse Ejecutar para ver qué token siguiente predeciría cada capa si fuera la última.</translation>
    </message>
    <message>
        <source>Rows: the residual stream after each layer, decoded by the final norm and the unembedding; columns: the prompt&apos;s tokens. Each cell is the most probable next token and its probability (hover for the top %1).</source>
        <translation>Filas: el flujo residual tras cada capa, decodificado con la norma final y la matriz de salida; columnas: los tokens del texto. Cada celda es el token siguiente más probable y su probabilidad (pase el ratón para ver los %1 primeros).</translation>
    </message>
    <message>
        <source>Right: layer %1 after “%2”.</source>
        <translation>A la derecha: capa %1 tras «%2».</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Lente de logits</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::LossCurves</name>
    <message>
        <source>total loss</source>
        <translation>pérdida total</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>tasa de aprendizaje</translation>
    </message>
    <message>
        <source>held-out perplexity</source>
        <translation>perplejidad en validación</translation>
    </message>
    <message>
        <source>teacher</source>
        <translation>maestro</translation>
    </message>
    <message>
        <source>Logarithmic loss and perplexity axes</source>
        <translation>Ejes logarítmicos de pérdida y perplejidad</translation>
    </message>
    <message>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>pérdida</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>perplejidad</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>Curvas de entrenamiento</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleDetails</name>
    <message>
        <source>No module selected</source>
        <translation>Ningún módulo seleccionado</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>valor del peso</translation>
    </message>
    <message>
        <source>count</source>
        <translation>recuento</translation>
    </message>
    <message>
        <source>output row</source>
        <translation>fila de salida</translation>
    </message>
    <message>
        <source>L2 norm</source>
        <translation>norma L2</translation>
    </message>
    <message>
        <source>%1 values · min %2 · max %3 · mean %4 · std %5</source>
        <translation>%1 valores · mín %2 · máx %3 · media %4 · desv. %5</translation>
    </message>
    <message>
        <source>Select a module to see its weight statistics.</source>
        <translation>Seleccione un módulo para ver las estadísticas de sus pesos.</translation>
    </message>
    <message>
        <source>input row (Conv1D stores [in, out])</source>
        <translation>fila de entrada (Conv1D guarda [entrada, salida])</translation>
    </message>
    <message>
        <source>Computing weight statistics…</source>
        <translation>Calculando las estadísticas de pesos…</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleTreeModel</name>
    <message>
        <source>model</source>
        <translation>modelo</translation>
    </message>
    <message>
        <source>Removing this saves %1 parameters (%2 in %3)</source>
        <translation>Eliminarlo ahorra %1 parámetros (%2 en %3)</translation>
    </message>
    <message>
        <source>parameter</source>
        <translation>parámetro</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
    <message>
        <source>DType</source>
        <translation>Tipo de dato</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>% of total</source>
        <translation>% del total</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memoria</translation>
    </message>
    <message>
        <source>Removal saves</source>
        <translation>Eliminar ahorra</translation>
    </message>
    <message>
        <source>Stored as %1: %2 in the file</source>
        <translation>Almacenado como %1: %2 en el archivo</translation>
    </message>
    <message>
        <source>Size in memory in the compute dtype (%1)</source>
        <translation>Tamaño en memoria en el tipo de cálculo (%1)</translation>
    </message>
    <message>
        <source>The type the file stores: the safetensors header&apos;s dtype, or GGUF&apos;s tensor type (Q4_K, Q8_0, …), which is dequantised on load</source>
        <translation>El tipo que guarda el archivo: el dtype de la cabecera safetensors o el tipo de tensor GGUF (Q4_K, Q8_0, …), que se descuantiza al cargar</translation>
    </message>
    <message>
        <source>Bytes the file holds for it (quantisation blocks included)</source>
        <translation>Bytes que ocupa en el archivo (bloques de cuantización incluidos)</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>Almacenado</translation>
    </message>
    <message>
        <source>Stored size</source>
        <translation>Tamaño almacenado</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::ModuleTreeView</name>
    <message>
        <source>Filter modules by name…</source>
        <translation>Filtrar módulos por nombre…</translation>
    </message>
    <message>
        <source>Keep %1 (take it out of the plan)</source>
        <translation>Conservar %1 (quitarlo del plan)</translation>
    </message>
    <message>
        <source>Remove %1 (add it to the plan)</source>
        <translation>Eliminar %1 (añadirlo al plan)</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::NeuronView</name>
    <message>
        <source>layer %1: min %2, quartiles %3 / %4 / %5, max %6 (click to show it)</source>
        <translation>capa %1: mín. %2, cuartiles %3 / %4 / %5, máx. %6 (clic para mostrarla)</translation>
    </message>
    <message>
        <source>rank %1: score %2</source>
        <translation>puesto %1: puntuación %2</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>puntuación %1</translation>
    </message>
    <message>
        <source>%1 score</source>
        <translation>puntuación %1</translation>
    </message>
    <message>
        <source>neurons of layer %1, sorted by score (rank)</source>
        <translation>neuronas de la capa %1, ordenadas por puntuación (puesto)</translation>
    </message>
    <message>
        <source>neurons of layer %1</source>
        <translation>neuronas de la capa %1</translation>
    </message>
    <message>
        <source>layer (box: quartiles, whiskers: min and max; click to show it)</source>
        <translation>capa (caja: cuartiles, bigotes: mín. y máx.; clic para mostrarla)</translation>
    </message>
    <message>
        <source>rank</source>
        <translation>puesto</translation>
    </message>
    <message>
        <source>neuron</source>
        <translation>neurona</translation>
    </message>
    <message>
        <source>score</source>
        <translation>puntuación</translation>
    </message>
    <message>
        <source>Layer %1: the %2 best pruning candidates (highest F_k) of %3 neurons</source>
        <translation>Capa %1: las %2 mejores candidatas a poda (F_k más alto) de %3 neuronas</translation>
    </message>
    <message>
        <source>Layer %1: the %2 most important of %3 neurons</source>
        <translation>Capa %1: las %2 más importantes de %3 neuronas</translation>
    </message>
    <message>
        <source>PPM: peak-to-peak magnitude of gate and up rows</source>
        <translation>PPM: amplitud pico a pico de las filas de gate y up</translation>
    </message>
    <message>
        <source>VOW: variance of gate and up rows</source>
        <translation>VOW: varianza de las filas de gate y up</translation>
    </message>
    <message>
        <source>PON: product of the L1 norms of gate and up rows</source>
        <translation>PON: producto de las normas L1 de las filas de gate y up</translation>
    </message>
    <message>
        <source>L2: sum of the L2 norms of gate and up rows</source>
        <translation>L2: suma de las normas L2 de las filas de gate y up</translation>
    </message>
    <message>
        <source>activation-weighted: PPM × activation norm on a text</source>
        <translation>ponderada por activación: PPM × norma de activación sobre un texto</translation>
    </message>
    <message>
        <source>fairness F_k: bias on prompt pairs and low PPM (pruning candidates)</source>
        <translation>equidad F_k: sesgo en pares de textos y PPM bajo (candidatas a poda)</translation>
    </message>
    <message>
        <source>L1: norm of the c_fc neuron (plain GPT-2 MLP)</source>
        <translation>L1: norma de la neurona de c_fc (MLP simple de GPT-2)</translation>
    </message>
    <message>
        <source>Score:</source>
        <translation>Puntuación:</translation>
    </message>
    <message>
        <source>Fairness weight w:</source>
        <translation>Peso de equidad w:</translation>
    </message>
    <message>
        <source>F_k = w · norm(bias_k) + (1 − w) · (1 − norm(PPM_k))</source>
        <translation>F_k = w · norm(sesgo_k) + (1 − w) · (1 − norm(PPM_k))</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Capa:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>sorted curve</source>
        <translation>curva ordenada</translation>
    </message>
    <message>
        <source>histogram</source>
        <translation>histograma</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecutar</translation>
    </message>
    <message>
        <source>Score every MLP neuron of every layer</source>
        <translation>Puntuar cada neurona MLP de cada capa</translation>
    </message>
    <message>
        <source>Scoring the neurons…</source>
        <translation>Puntuando las neuronas…</translation>
    </message>
    <message>
        <source>Choose a score and press Run to see how the MLP neurons of each layer rank. Higher is more important; for fairness F_k, higher is a better neuron to remove.</source>
        <translation>Elija una puntuación y pulse Ejecutar para ver cómo se ordenan las neuronas MLP de cada capa. Más alto es más importante; para la equidad F_k, más alto es mejor neurona para eliminar.</translation>
    </message>
    <message>
        <source>%1 · %2 layers · %3 s</source>
        <translation>%1 · %2 capas · %3 s</translation>
    </message>
    <message>
        <source> · %1 tokens read</source>
        <translation> · %1 tokens leídos</translation>
    </message>
    <message>
        <source> · prompt pairs: %1</source>
        <translation> · pares de textos: %1</translation>
    </message>
    <message>
        <source>Run the scores first</source>
        <translation>Calcule primero las puntuaciones</translation>
    </message>
    <message>
        <source>The plan can remove neurons by PPM, VOW, PON, L2 or L1; choose one of those scores</source>
        <translation>El plan puede eliminar neuronas por PPM, VOW, PON, L2 o L1; elija una de esas puntuaciones</translation>
    </message>
    <message>
        <source>Choose a percentage above 0</source>
        <translation>Elija un porcentaje mayor que 0</translation>
    </message>
    <message>
        <source>Add this removal to the pruning plan</source>
        <translation>Añadir esta eliminación al plan de poda</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>of this layer&apos;s MLP neurons</source>
        <translation>de las neuronas MLP de esta capa</translation>
    </message>
    <message>
        <source>of every layer&apos;s MLP neurons</source>
        <translation>de las neuronas MLP de cada capa</translation>
    </message>
    <message>
        <source>Add to plan</source>
        <translation>Añadir al plan</translation>
    </message>
    <message>
        <source>layer %1 keeps %2 of %3 neurons; the %4 lowest-scored (red on the curve) go</source>
        <translation>la capa %1 conserva %2 de %3 neuronas; se eliminan las %4 de menor puntuación (en rojo en la curva)</translation>
    </message>
    <message>
        <source>Neuron importance</source>
        <translation>Importancia de neuronas</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::OverviewCard</name>
    <message>
        <source>&lt;b&gt;No model loaded&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ningún modelo cargado&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Open a model folder with File ▸ Open folder… or drop it on the window.</source>
        <translation>Abra una carpeta de modelo con Archivo ▸ Abrir carpeta… o suéltela en la ventana.</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Capas</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Dimensión oculta</translation>
    </message>
    <message>
        <source>Heads / KV heads</source>
        <translation>Cabezas / cabezas KV</translation>
    </message>
    <message>
        <source>%1 / %2 (GQA ×%3)</source>
        <translation>%1 / %2 (GQA ×%3)</translation>
    </message>
    <message>
        <source>Head dim</source>
        <translation>Dimensión por cabeza</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>%1 (%2× hidden, %3)</source>
        <translation>%1 (%2× la oculta, %3)</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vocabulario</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Contexto</translation>
    </message>
    <message>
        <source>Positions</source>
        <translation>Posiciones</translation>
    </message>
    <message>
        <source>Sliding window</source>
        <translation>Ventana deslizante</translation>
    </message>
    <message>
        <source>%1 on %2 of %3 layers</source>
        <translation>%1 en %2 de %3 capas</translation>
    </message>
    <message>
        <source>Tied head</source>
        <translation>Cabeza compartida</translation>
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
        <translation>Tokenizador</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memoria</translation>
    </message>
    <message>
        <source>%1 in float32, %2 in bfloat16</source>
        <translation>%1 en float32, %2 en bfloat16</translation>
    </message>
    <message>
        <source>Parameters by kind</source>
        <translation>Parámetros por tipo</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>parámetros</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>embedding</translation>
    </message>
    <message>
        <source>positions</source>
        <translation>posiciones</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>atención</translation>
    </message>
    <message>
        <source>norms</source>
        <translation>normas</translation>
    </message>
    <message>
        <source>head</source>
        <translation>cabeza</translation>
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
        <translation>la atención de la capa %1</translation>
    </message>
    <message>
        <source>MLP of layer %1</source>
        <translation>MLP de la capa %1</translation>
    </message>
    <message>
        <source>Keep %1</source>
        <translation>Conservar %1</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Eliminar %1</translation>
    </message>
    <message>
        <source>Remove operation</source>
        <translation>Quitar la operación</translation>
    </message>
    <message>
        <source>Clear the plan</source>
        <translation>Vaciar el plan</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::PlanPanel</name>
    <message>
        <source>every layer</source>
        <translation>todas las capas</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>la capa %1</translation>
    </message>
    <message>
        <source>layers %1</source>
        <translation>las capas %1</translation>
    </message>
    <message>
        <source>Remove layer %1</source>
        <translation>Eliminar la capa %1</translation>
    </message>
    <message>
        <source>Remove layers %1</source>
        <translation>Eliminar las capas %1</translation>
    </message>
    <message>
        <source>Bypass the attention of %1</source>
        <translation>Omitir la atención de %1</translation>
    </message>
    <message>
        <source>MLP of %1: keep %2 neurons (%3)</source>
        <translation>MLP de %1: conservar %2 neuronas (%3)</translation>
    </message>
    <message>
        <source>MLP of %1: width %2 % of hidden (%3)</source>
        <translation>MLP de %1: anchura del %2 % del tamaño oculto (%3)</translation>
    </message>
    <message>
        <source>MLP of %1: remove %2 % of neurons (%3)</source>
        <translation>MLP de %1: eliminar el %2 % de las neuronas (%3)</translation>
    </message>
    <message numerus="yes">
        <source>MLP of %1: remove %n listed neuron(s)</source>
        <translation>
            <numerusform>MLP de %1: eliminar %n neurona de la lista</numerusform>
            <numerusform>MLP de %1: eliminar %n neuronas de la lista</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 en %2</translation>
    </message>
    <message>
        <source>Open a model to plan what to remove.</source>
        <translation>Abra un modelo para planificar qué eliminar.</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation>Memoria (%1)</translation>
    </message>
    <message>
        <source>Decoder layers</source>
        <translation>Capas del decodificador</translation>
    </message>
    <message>
        <source>Attention bypass saves compute, not memory: the parameters stay, and the export sets o_proj to zero so that stock loaders give the same outputs.</source>
        <translation>Omitir la atención ahorra cálculo, no memoria: los parámetros se quedan, y la exportación pone o_proj a cero para que los cargadores estándar den las mismas salidas.</translation>
    </message>
    <message>
        <source>Take this operation out of the plan</source>
        <translation>Quitar esta operación del plan</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>eliminada</translation>
    </message>
    <message>
        <source>attention bypassed</source>
        <translation>atención omitida</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>se conserva</translation>
    </message>
    <message>
        <source>Mark layers, attention blocks or MLPs first</source>
        <translation>Marque primero capas, bloques de atención o MLP</translation>
    </message>
    <message>
        <source>Build the variant in the background</source>
        <translation>Construir la variante en segundo plano</translation>
    </message>
    <message>
        <source>Remove layer %1 (importance %2)</source>
        <translation>Eliminar la capa %1 (importancia %2)</translation>
    </message>
    <message>
        <source>Run layer similarity to get suggestions (the lowest-importance layers).</source>
        <translation>Ejecute la similitud entre capas para obtener sugerencias (las capas de menor importancia).</translation>
    </message>
    <message>
        <source>Every suggested layer is in the plan.</source>
        <translation>Todas las capas sugeridas están en el plan.</translation>
    </message>
    <message>
        <source>Could not load the plan</source>
        <translation>No se pudo cargar el plan</translation>
    </message>
    <message>
        <source>This plan is for another model</source>
        <translation>Este plan es para otro modelo</translation>
    </message>
    <message>
        <source>%1: %2

The current plan is unchanged.</source>
        <translation>%1: %2

El plan actual no ha cambiado.</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>Cargar %1</translation>
    </message>
    <message>
        <source>Could not save the plan</source>
        <translation>No se pudo guardar el plan</translation>
    </message>
    <message>
        <source>Load a pruning plan</source>
        <translation>Cargar un plan de poda</translation>
    </message>
    <message>
        <source>Pruning plans (*.json);;All files (*)</source>
        <translation>Planes de poda (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Save the pruning plan</source>
        <translation>Guardar el plan de poda</translation>
    </message>
    <message>
        <source>Pruning plans (*.json)</source>
        <translation>Planes de poda (*.json)</translation>
    </message>
    <message>
        <source>Pruning plan</source>
        <translation>Plan de poda</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operación</translation>
    </message>
    <message>
        <source>Parameters saved</source>
        <translation>Parámetros ahorrados</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Capa</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>MLP width</source>
        <translation>Anchura MLP</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vaciar</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Cargar…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Guardar…</translation>
    </message>
    <message>
        <source>MLP neurons removed when an MLP is ticked:</source>
        <translation>Neuronas MLP eliminadas al marcar un MLP:</translation>
    </message>
    <message>
        <source>Variant name:</source>
        <translation>Nombre de la variante:</translation>
    </message>
    <message>
        <source>variant</source>
        <translation>variante</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rehacer</translation>
    </message>
    <message>
        <source>Layer %1 (%2)</source>
        <translation>Capa %1 (%2)</translation>
    </message>
    <message>
        <source>Suggested removals (importance):</source>
        <translation>Eliminaciones sugeridas (importancia):</translation>
    </message>
    <message>
        <source>Heads can be removed from models with separate q/k/v/o projections (not GPT-2&apos;s fused c_attn).</source>
        <translation>Se pueden eliminar cabezas en modelos con proyecciones q/k/v/o separadas (no en el c_attn fusionado de GPT-2).</translation>
    </message>
    <message>
        <source>Heads of %1: remove KV group(s) %2</source>
        <translation>Cabezas de %1: eliminar grupo(s) KV %2</translation>
    </message>
    <message numerus="yes">
        <source>Heads of %1: remove %n query head(s) per KV group</source>
        <translation>
            <numerusform>Cabezas de %1: eliminar %n cabeza de consulta por grupo KV</numerusform>
            <numerusform>Cabezas de %1: eliminar %n cabezas de consulta por grupo KV</numerusform>
        </translation>
    </message>
    <message>
        <source>Heads of %1: remove query heads %2</source>
        <translation>Cabezas de %1: eliminar las cabezas de consulta %2</translation>
    </message>
    <message>
        <source>Prefill speed, estimated (%1-token prompt)</source>
        <translation>Velocidad de prefill, estimada (entrada de %1 tokens)</translation>
    </message>
    <message>
        <source>from the matmul FLOPs per token</source>
        <translation>según los FLOPs de matmul por token</translation>
    </message>
    <message>
        <source>Decode speed, estimated</source>
        <translation>Velocidad de decodificación, estimada</translation>
    </message>
    <message>
        <source>from the weight bytes read per token</source>
        <translation>según los bytes de pesos leídos por token</translation>
    </message>
    <message>
        <source>Estimates from the model&apos;s shapes, not measurements: decode is bound by memory (weights read per token), prefill by compute (FLOPs). Measure with anatomist-cli compare --bench.</source>
        <translation>Estimaciones a partir de las formas del modelo, no mediciones: la decodificación está limitada por la memoria (pesos leídos por token) y el prefill por el cálculo (FLOPs). Mídalas con anatomist-cli compare --bench.</translation>
    </message>
    <message>
        <source>%1 (%2 KV)</source>
        <translation>%1 (%2 KV)</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>Cabezas</translation>
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
        <translation>El principio de un texto que ambos modelos continúan</translation>
    </message>
    <message>
        <source>&amp;Sample (otherwise greedy)</source>
        <translation>&amp;Muestrear (si no, voraz)</translation>
    </message>
    <message>
        <source>Greedy takes the most likely token each step; sampling draws from the distribution at this temperature, reproducibly for a given seed</source>
        <translation>Voraz toma el token más probable en cada paso; el muestreo extrae de la distribución a esta temperatura, de forma reproducible para una semilla dada</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatura:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>S&amp;emilla:</translation>
    </message>
    <message>
        <source>&amp;Max new tokens:</source>
        <translation>Má&amp;x. tokens nuevos:</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Left model</source>
        <translation>Modelo de la izquierda</translation>
    </message>
    <message>
        <source>Right model</source>
        <translation>Modelo de la derecha</translation>
    </message>
    <message numerus="yes">
        <source>%n new token(s) in %1 s · %2 tokens/s</source>
        <translation>
            <numerusform>%n token nuevo en %1 s · %2 tokens/s</numerusform>
            <numerusform>%n tokens nuevos en %1 s · %2 tokens/s</numerusform>
        </translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Aún no hay respuesta</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::SimilarityView</name>
    <message>
        <source>Choose a dataset</source>
        <translation>Elegir un conjunto de datos</translation>
    </message>
    <message>
        <source>block</source>
        <translation>bloque</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>atención</translation>
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
        <translation>bloque (%1)</translation>
    </message>
    <message>
        <source>importance (1 − cos)</source>
        <translation>importancia (1 − cos)</translation>
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
        <translation>capa (pulse para seleccionarla en el árbol de módulos)</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Exportar el gráfico</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>Imagen PNG (*.png);;Imagen SVG (*.svg);;Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No se pudo escribir %1.</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Exportar los datos</translation>
    </message>
    <message>
        <source>CSV table (*.csv);;JSON (*.json)</source>
        <translation>Tabla CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Conjunto de datos:</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>Comparar con:</translation>
    </message>
    <message>
        <source>Built-in sample</source>
        <translation>Muestra integrada</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Calculando…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Calcular</translation>
    </message>
    <message>
        <source>Measure layer similarity on the dataset (Ctrl+R)</source>
        <translation>Medir la similitud entre capas en el conjunto de datos (Ctrl+R)</translation>
    </message>
    <message>
        <source>Export plot…</source>
        <translation>Exportar gráfico…</translation>
    </message>
    <message>
        <source>Export data…</source>
        <translation>Exportar datos…</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>Midiendo…</translation>
    </message>
    <message>
        <source>No results yet</source>
        <translation>Aún no hay resultados</translation>
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
        <translation>%1: bloque %2 · atención %3 · MLP %4</translation>
    </message>
    <message>
        <source>Text datasets (*.txt *.jsonl *.ndjson);;All files (*)</source>
        <translation>Conjuntos de texto (*.txt *.jsonl *.ndjson);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capas</translation>
    </message>
    <message>
        <source>Measuring layer similarity…</source>
        <translation>Midiendo la similitud entre capas…</translation>
    </message>
    <message>
        <source>Press Run to measure how much each layer changes its input: 1 − cosine similarity of the hidden states before and after each block, its attention and its MLP.</source>
        <translation>Pulse Ejecutar para medir cuánto cambia cada capa su entrada: 1 − similitud coseno de los estados ocultos antes y después de cada bloque, su atención y su MLP.</translation>
    </message>
    <message>
        <source>%1: %2 documents, %3 tokens, %4 s</source>
        <translation>%1: %2 documentos, %3 tokens, %4 s</translation>
    </message>
    <message>
        <source>built-in sample</source>
        <translation>muestra integrada</translation>
    </message>
</context>
<context>
    <name>anatomist::widgets::VariantsPanel</name>
    <message>
        <source>not measured</source>
        <translation>sin medir</translation>
    </message>
    <message>
        <source>Base and variants</source>
        <translation>Base y variantes</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>Qué se hizo</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Memoria</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>Perplejidad</translation>
    </message>
    <message>
        <source>No variants yet: mark what to remove in the module tree or the pruning plan, then Apply.</source>
        <translation>Aún no hay variantes: marque qué eliminar en el árbol de módulos o en el plan de poda y pulse Aplicar.</translation>
    </message>
    <message>
        <source>Measure perplexity</source>
        <translation>Medir la perplejidad</translation>
    </message>
    <message>
        <source>Perplexity of the base and every variant on the built-in sample text</source>
        <translation>Perplejidad de la base y de cada variante con el texto de muestra incluido</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Write the selected row as a Hugging Face folder or a GGUF file; select two rows to compare them</source>
        <translation>Escribir la fila seleccionada como carpeta de Hugging Face o archivo GGUF; seleccione dos filas para compararlas</translation>
    </message>
</context>
</TS>
