<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
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
        <source>%1 — Anatomist</source>
        <translation>%1 — Anatomist</translation>
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
            <numerusform>%n tarea en curso</numerusform><numerusform>%n tareas en curso</numerusform></translation>
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
        <source>No model — open a folder (Ctrl+O) or drop one here</source>
        <translation>Sin modelo: abra una carpeta (Ctrl+O) o suéltela aquí</translation>
    </message>
    <message>
        <source>Anatomist</source>
        <translation>Anatomist</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>Abrir una carpeta de modelo</translation>
    </message>
    <message>
        <source>model</source>
        <translation>modelo</translation>
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
        <source>built-in sample</source>
        <translation>muestra integrada</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capas</translation>
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
</context>
<context>
    <name>anatomist::widgets::ModuleTreeView</name>
    <message>
        <source>Filter modules by name…</source>
        <translation>Filtrar módulos por nombre…</translation>
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
    <name>anatomist::widgets::SimilarityView</name>
    <message>
        <source>Choose a dataset</source>
        <translation>Elegir un conjunto de datos</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>Archivos de texto (*.txt);;Todos los archivos (*)</translation>
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
        <source>%1 documents, %2 tokens, %3 s</source>
        <translation>%1 documentos, %2 tokens, %3 s</translation>
    </message>
</context>
</TS>