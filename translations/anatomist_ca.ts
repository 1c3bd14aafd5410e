<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ca">
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
        <source>%1 — Anatomist</source>
        <translation>%1 — Anatomist</translation>
    </message>
    <message>
        <source>Could not open %1</source>
        <translation>No s'ha pogut obrir %1</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>No s'ha pogut obrir el model</translation>
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
        <translation>&lt;b&gt;Anatomist&lt;/b&gt; %1&lt;br&gt;Un banc de treball d'escriptori per a l'anatomia dels models de llenguatge: arbres de mòduls, similitud entre capes i més.</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n tasca en curs</numerusform><numerusform>%n tasques en curs</numerusform></translation>
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
        <source>No model — open a folder (Ctrl+O) or drop one here</source>
        <translation>Cap model: obriu una carpeta (Ctrl+O) o deixeu-la anar aquí</translation>
    </message>
    <message>
        <source>Anatomist</source>
        <translation>Anatomist</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>Obre una carpeta de model</translation>
    </message>
    <message>
        <source>model</source>
        <translation>model</translation>
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
        <source>built-in sample</source>
        <translation>mostra integrada</translation>
    </message>
    <message>
        <source>Layer similarity</source>
        <translation>Similitud entre capes</translation>
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
</context>
<context>
    <name>anatomist::widgets::ModuleTreeView</name>
    <message>
        <source>Filter modules by name…</source>
        <translation>Filtra els mòduls pel nom…</translation>
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
        <translation>%1 (%2× l'oculta, %3)</translation>
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
    <name>anatomist::widgets::SimilarityView</name>
    <message>
        <source>Choose a dataset</source>
        <translation>Trieu un conjunt de dades</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>Fitxers de text (*.txt);;Tots els fitxers (*)</translation>
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
        <translation>capa (feu clic per seleccionar-la a l'arbre de mòduls)</translation>
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
        <translation>Ha fallat l'exportació</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>No s'ha pogut escriure %1.</translation>
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
        <source>%1 documents, %2 tokens, %3 s</source>
        <translation>%1 documents, %2 tokens, %3 s</translation>
    </message>
</context>
</TS>