"""The words of lesson 1, as plain data that the marimo app reads (and its handout shows).

Each entry of :data:`SECTIONS` is Markdown. A few entries are templates with ``{name}`` fields
that the lesson fills with numbers computed by the benchlearn engine (see
:mod:`benchlearn.lessons.lesson1.data` and its siblings); :data:`TEMPLATE_FIELDS` lists
those fields.

House rules for the prose: plain words for a reader who has never programmed; every technical
term is printed in **bold** exactly once, where it is first explained, and has an entry in
:mod:`benchlearn.lessons.lesson1.glossary`; bold is used for nothing else. Formulas are written
in plain text (no LaTeX: the page must work offline without a maths font).
"""

from __future__ import annotations

import re
import string

TITLE = "Lesson 1 · Learning from lab data: what machine learning is, and linear regression whole"

OBJECTIVES: dict[int, str] = {
    1: "Say what artificial intelligence, machine learning and deep learning are, and how they "
    "nest inside each other.",
    2: "Tell supervised from unsupervised learning, on the same biological data.",
    3: "Build a linear regression whole: the model and its parameters, the loss, finding the "
    "best parameters (exactly, and by gradient descent), and judging the result honestly.",
    4: "Recognise supervised regression, supervised classification and unsupervised learning "
    "in real biotech work, and ask whether a clinical model is as good for every group of "
    "patients.",
}

# The five places where machine learning meets biotech, each shown live in Part 4 on measured
# data. Keys are stable ids (used by the handout and the tests).
BIOTECH_USES: dict[str, tuple[str, str]] = {
    "molecules": (
        "Molecules",
        "Predict a property of a compound, such as how well it dissolves in water, from its "
        "structure, before anyone makes it. Part 4: solubility of 1,282 measured molecules.",
    ),
    "compound_screening": (
        "Compound screening",
        "Rank thousands of untested compounds so that the likeliest are tested first; "
        "[biodiversity mining](#term-biodiversity-mining) ranks natural extracts, microbes or "
        "their gene clusters the same way. Part 4: a virtual screen of a real compound series.",
    ),
    "patient_subtypes": (
        "Patient subtypes and personalized medicine",
        "Group tumours by their measurements without being told the answer, hoping the groups "
        "match subtypes that respond differently to treatment. Part 2 does this on biopsies; "
        "Part 4 on the gene activity of 198 breast tumours.",
    ),
    "omics": (
        "Omics",
        "Find cell types, or genes that work together, in measurements of thousands of genes "
        "in thousands of single cells. Part 4: the cell types of 700 blood cells.",
    ),
    "clinical_imaging": (
        "Clinical imaging",
        "Read microscope or scanner images: call a biopsy benign or malignant, or mark the "
        "cell nuclei. Parts 1 and 2 use measurements of 569 breast biopsies' nuclei; Part 4 "
        "marks the nuclei in an image itself.",
    ),
}

SECTIONS: dict[str, str] = {
    # ---- Introduction --------------------------------------------------------------------
    "intro": """
# Learning from lab data

This lesson is for scientists who work at the bench and have never programmed. You will not
write code: you will move sliders, press buttons and read what happens. Every number on this
page is computed live by benchlearn, the library behind this lesson, from real or realistic
lab data.

By the end you will be able to:

1. say what [artificial intelligence](#term-artificial-intelligence),
   [machine learning](#term-machine-learning) and [deep learning](#term-deep-learning) are, and
   how they nest;
2. tell [supervised](#term-supervised-learning) from
   [unsupervised learning](#term-unsupervised-learning), on the same biological data;
3. build a [linear regression](#term-linear-regression) whole: [model](#term-model),
   [loss](#term-loss), [optimization](#term-optimization) and evaluation;
4. recognise these kinds of learning in five real biotech examples, and ask whether a
   clinical model is as good for every group of patients.

A linked word is explained in the glossary at the end of the page (click it to go there); each
is also explained in plain words where the lesson first needs it.
""",
    "biotech": """
## Where machine learning meets biotech

Machine learning is already part of everyday biotech work. Five places, each shown live on
measured data in Part 4, after Parts 1 to 3 have built the ideas it needs:
""",
    # ---- Part 1: AI, ML, DL --------------------------------------------------------------
    "nesting_intro": """
## Part 1 · Artificial intelligence, machine learning, deep learning

**Artificial intelligence** (AI) is the broad goal: getting a computer to do a task that
would otherwise need human judgement, such as reading a biopsy. A program can do that with
rules a person wrote by hand.

**Machine learning** (ML) is the part of AI where the computer works the rules out from
examples instead. You give it **training data**: rows of measurements (each measured quantity
is a **feature**) together with the answer you want for each row (its **label**). It returns a
**model**: a recipe that turns the features of a new row into a prediction. The numbers inside
the recipe that were tuned to fit the examples are the model's **parameters**.

**Deep learning** (DL) is the part of machine learning that uses a **neural network**: a model
built from many layers of simple adding-and-thresholding units, with many more parameters.
It shines on raw images, sequences and text, and needs more data and computing.

So the three nest: every deep-learning model is a machine-learning model, and every
machine-learning model is one way of doing AI.
""",
    "nesting_task": """
### One task, three approaches

The task is **classification**: putting each row into one of a few categories. Each row is a
breast biopsy (a fine-needle aspirate). A microscope image of the cells was digitised and 30
features of the cell nuclei measured: their size, shape and texture. The label is the
diagnosis, benign or malignant, confirmed afterwards.

We hide a quarter of the biopsies, the **test set**, and never let any approach see them until
the end. The share of test biopsies an approach gets right is its **accuracy**. Judging on rows
the approach never saw is the only fair way: anyone can "predict" the answers they were shown.

1. *AI by hand-written rule.* A person decides: *malignant if the mean nucleus radius is
   above a threshold*. Move the slider to choose the threshold yourself. Beside it, a
   histogram counts the test biopsies at each nucleus radius, benign and malignant in two
   colours, and the dashed line is your threshold: everything right of it is called malignant.
2. *Machine learning.* A **logistic regression** weighs all 30 features and learns the
   weights from the training biopsies. It is the classification cousin of the linear
   regression you will build in Part 3.
3. *Deep learning, in miniature.* A small neural network with one **hidden layer**: a row of
   units between the 30 measurements and the answer, whose values nobody sees,
   trained on the same biopsies.
""",
    "nesting_result": """
| approach | a person supplied | learned from data |
|---|---|---|
| hand-written rule | one feature and its threshold (the slider) | nothing |
| logistic regression | 30 features, {n_train} labelled biopsies | \
{logistic_parameters} parameters |
| neural network | the same, plus the network's shape | {network_parameters} parameters |

Their accuracy on the {n_test} test biopsies none of them saw:
""",
    "nesting_takeaway": """
Read the table from top to bottom. The rule needed an expert and one number; the learned models
needed labelled examples instead, and found their own weights. Here the network does not beat
the simpler model: with a few hundred rows of well-chosen measurements, plain machine learning
is usually enough. Deep learning earns its extra parameters when the input is the raw image
itself, with millions of pixels and thousands of labelled images, as in clinical imaging
pipelines that read whole slides.
""",
    # ---- Part 2: supervised vs unsupervised ----------------------------------------------
    "supervised_intro": """
## Part 2 · Supervised and unsupervised learning

Everything in Part 1 was **supervised learning**: the model learned from rows whose answer
(the label) was known, like a student checked against an answer key. Predicting a category is
classification; predicting a number (a concentration, a potency) is **regression**.

**Unsupervised learning** gets the same features but no labels. It can only look for structure:
rows that resemble each other. Finding groups of similar rows is **clustering**. This is how
patient subtypes are proposed: cluster tumours by their measurements, then ask whether the
groups differ in outcome or in response to a drug.

Below, the same data are analysed both ways, and you choose which data. Either the 569
biopsies of Part 1, or 198 breast tumours measured in another way: by their
[gene expression](#term-gene-expression), how active each of 76 genes is in the tumour, read
from the amount of its RNA. A tumour's label is its [ER status](#term-er-status): whether its
cells carry the oestrogen receptor (ER-positive) or not (ER-negative), which decides whether
hormone therapy can work. The expression comes from a public archive of such measurements
(NCBI GEO, series GSE7390); the ER status was determined separately, in the clinic.
""",
    "supervised_result": """
*Supervised:* the logistic regression of Part 1 learns the label (the diagnosis, or the ER
status) from the training rows, and is then scored on the held-out test rows. The score to beat
is that of always guessing the commonest label, printed beside it: a model that does no better
has learned nothing.

*Unsupervised:* **k-means** never sees the label. You choose a number of groups, k; it places k
centres among the rows and moves them until each row sits with its nearest centre.
""",
    "clusters_map": """
Thirty measurements, let alone 76 genes, cannot be drawn directly, so the map uses **principal
component analysis** (PCA): it finds the two directions along which the rows differ most and
draws each row at its position along them. Left: the clusters k-means found. Right: the label,
which k-means never saw, revealed afterwards.
""",
    "clusters_result": """
Then compare. The **contingency table** counts how many rows of each label landed in each
cluster. The **adjusted Rand index** (ARI) summarises the agreement in one number: 1 means the
clusters match the labels exactly, 0 means no better than chance. Choose the data and k on the
left; the map on the right follows.
""",
    "clusters_takeaway": """
Compare the two data sets at k = {k}. On the biopsies the clusters line up with benign and
malignant well, though not perfectly (ARI {biopsies_ari}): the largest differences between the
biopsies are in the size and shape of their nuclei, and those tell the diagnoses apart.
On the tumours the clusters match ER status only loosely (ARI {tumours_ari}), although the
classifier reads ER status from the same genes, right for {tumours_accuracy} of the held-out
tumours (always guessing ER-positive: {tumours_majority}). k-means groups rows by whatever
differs most in the data it is given. These 76 genes were chosen to predict whether a cancer
spreads, and their largest differences mix ER status with other things, such as how abnormal
the tumour cells look (their grade), so the groups follow neither closely.

That is the difference between the two kinds of learning. Supervised learning is told what to
look for and finds it if the features hold it. Unsupervised learning proposes groups; with more
clusters it splits the rows further, and some splits may be biology worth studying (subtypes),
some only noise. Deciding what the groups mean still takes labels, follow-up experiments, or
clinical outcomes. Part 4 returns to the tumours and compares their clusters with grade too.
""",
    # ---- Part 3: linear regression -------------------------------------------------------
    "regression_intro": """
## Part 3 · Linear regression, whole

The rest of the lesson builds one model completely, on the kind of data every lab has: a
**standard curve**. This one is real. An **ELISA** (an antibody test whose wells change colour
in proportion to the protein they capture) measured the enzyme DNase in rat serum: wells with
known amounts of DNase, from 0.05 to 12.5 ng/mL, each read on a plate reader as an **optical
density** (OD: how much light the coloured well absorbs). The standard curve turns the optical
density of an unknown sample back into a concentration. The same step sits behind every plate
of a compound screen.

The wells come from run 1 of eleven runs of this assay, published by Davidian and Giltinan
(1995) and shipped with the R language. Each standard holds twice the DNase of the one before,
so we measure concentration in **log10** units, which count tenfold steps: log10 of 1 ng/mL is
0, of 10 ng/mL is 1, of 0.1 ng/mL is −1. Against log10 of the concentration the optical density
rises along an S-shaped curve whose middle is nearly straight. Part 3 fits a straight line to
that middle: the five highest standards, 0.78 to 12.5 ng/mL (log10 from −0.1 to 1.1), each
measured in two wells.

### The model and its parameters

**Linear regression** predicts a number as a straight-line function of the features. With one
feature x (log10 of the concentration) the prediction for y (the optical density) is

    predicted optical density = b0 + b1 × log10(concentration)

The **intercept** b0 is the prediction where x is 0, at 1 ng/mL. The **slope** b1 is how much
the optical density rises when x goes up by 1, that is when the concentration rises tenfold.
These two numbers are the parameters. Try to fit the line by hand with the sliders.
""",
    "data_choice": """
### Whose data?

Part 3 starts on the lesson's example: the ELISA standards described above. You can instead
load a table of your own and watch every slider, button and number below work on it. What
works:

- one row per sample (a well, a tube, a patient), one column per measurement;
- a header row at the top with a name for each column (`conc_ug_per_ml`, `A562`, ...);
- numbers only in the columns you will use: leave a missing value as an empty cell rather than
  writing `n/a`, and put units in the column name, not in a row of their own;
- a CSV, TSV or text file, an Excel workbook (.xlsx, first sheet) or a Parquet file.

Then choose which column is the measured quantity (y) and which one predicts it (x). Your file
stays on this computer: the lesson runs here and sends nothing anywhere. If something in the
file cannot be used, a red box says where (file, row, column) and how to fix it.
""",
    "own_waiting": """
Choose a file above (or drop it on the box). Until then everything below runs on the lesson's
example.
""",
    "own_loaded": """
Using {rows} rows of *{source}*: `{y_name}` (y) against `{x_name}` (x). Wherever the text
below says optical density, read `{y_name}`; where it says log10 of the concentration, read
`{x_name}`. The sliders' ranges are set from your data, and they start at the flat line
through the average of `{y_name}`: the line that ignores `{x_name}` altogether.
""",
    "own_dropped": """
{count} row(s) with empty cells were left out: row(s) {rows} of your file.
""",
    "own_scaling": """
### Why the scale of the features matters

Gradient descent uses one learning rate for every parameter. If a feature is measured in large
numbers, or sits far from zero, the loss valley is long and narrow: a step that is safe across
the narrow direction is tiny along the long one. Feature scaling fixes that. On your data,
200 steps each with benchlearn's automatic learning rate [1/L](#term-1-l) (a step that always
goes downhill, where L is the valley's steepest curvature), once with `{x_name}` as given and
once standardised (subtract its mean, divide by its standard deviation). The
[condition number](#term-condition-number) says how narrow the valley is; large numbers are in
[e-notation](#term-e-notation) (2.1e+03 = 2,100):

| `{x_name}` | valley narrowness (condition number) | loss after 200 steps | exact best loss |
|---|---|---|---|
| as given | {given_condition} | {given_loss} | {own_exact_loss} |
| standardised | {standard_condition} | {standard_loss} | {own_exact_loss} |

Both describe the same line, so the exact best loss is the same. The narrower the valley of the
data as given, the further its 200 steps stop from the bottom.
""",
    "residuals": """
In the left figure below each red segment is a **residual**: measured minus predicted optical
density for one well. A good line makes the residuals small, all together.
""",
    "loss": """
### The loss: one number for "how wrong"

To compare lines we need one number. The **loss** is that number; lower is better. Linear
regression uses the **mean squared error** (**MSE**): square every residual (so that misses above
and below both count, and big misses count a lot) and take the mean.

    MSE = mean of (measured − predicted)²

Every pair of slider values (b0, b1) has its own MSE. Drawn as a map it is the **loss
surface** (right): a valley whose lowest point is the best line. Its contour lines join
slider settings of equal MSE, and the dot is where your sliders are. Move a slider and watch
the line, the MSE and the dot together.
""",
    "optimization": """
### Optimization: finding the bottom of the valley

**Optimization** means finding the parameters with the lowest loss. For linear regression with
the MSE there are two ways.

*In one calculation.* Some problems have a **closed form** answer: a formula that gives the
best parameters in one calculation. For least squares it is a small set of equations, the
**normal equations**, whose solution is the line with the lowest MSE. benchlearn solves them by
**QR**, a numerically careful method that splits the data table into two simpler tables (Q and
R) instead of multiplying it by itself, which would lose digits. Press *Solve exactly*: the
sliders jump to the answer.

*Step by step.* Most models, logistic regressions and neural networks
included, have no such formula. The **gradient** is the direction in which the loss rises
fastest, worked out from the residuals. **Gradient descent** starts somewhere (here b0 = 0,
b1 = 0) and repeatedly takes a small step against the gradient, downhill. The size of each step
is set by the **learning rate**. Take single steps, or 50 at a time, and watch the path on the
loss surface. Too large a learning rate makes every step overshoot the bottom of the valley and
land higher up the other side: the loss grows instead of shrinking. That is **divergence**;
"Run 50 steps" then stops early and says so.
""",
    "gd_status": """
Gradient descent has reached b0 = {b0}, b1 = {b1}. The exact answer has loss {exact_loss}:
the closer the loss above comes to it, the nearer the bottom of the valley.
""",
    "gd_diverged": """
*The steps are too long: the loss is growing instead of shrinking.* This is divergence. With
learning rate {learning_rate} each step overshoots the bottom of the valley and lands higher up
the other side, further every time. Gradient descent stops by itself once the loss has grown
far beyond where it started ({stop_note}): carrying on would only produce ever larger numbers,
then numbers too large for the computer to hold. For this loss surface any learning rate above
{limit} diverges (the limit is 2 divided by the valley's steepest curvature). Lower the
learning rate and start again.
""",
    "under_the_hood": """
*Under the hood.* The two short cells just above this text hold the whole of both methods in
about ten lines of NumPy each: open them with *Show code* in the page's "…" menu. One takes
gradient-descent steps: residuals, the gradient from them, a step against it. The other solves
for the best line in one calculation. Run on the same data as the buttons, they give
b0 = {gd_b0}, b1 = {gd_b1} after {steps} steps, and b0 = {exact_b0}, b1 = {exact_b1} exactly: the
numbers benchlearn printed above.
""",
    "curve_quality": """
### Is this a good standard curve?

Before reading unknowns through it, judge the line you just found, on its own standards:

- [R²](#term-r) (more on it under *Evaluation* below): the share of the spread in the
  measurements that the line explains. A standard curve is chemistry, not biology: expect 0.99
  or more. (For a prediction about patients, 0.4 can already be useful, as you will see.)
- The slope in lab units: how much signal a tenfold rise in concentration adds. It is the
  assay's sensitivity: a steeper slope separates nearby amounts better.
- The residuals against log10 of the concentration: small, and scattered evenly around 0 with
  no curve.
- Each standard read back through the line, exactly as an unknown sample would be: log10 of
  the amount = (signal − b0) / b1, and the amount is 10 to that power. Lab guidelines for
  validated assays ask that standards read back within 15% of their known amount (20% at the
  lowest one).
""",
    "curve_verdict": """
Read back through this line, the standards come out between {lowest}% and {highest}% of their
known amounts (a blank, whose amount is 0, would have no percentage).
""",
    "gd_scaling": """
### Why the scale of the features matters

Gradient descent uses one learning rate for every parameter. If a feature sits far from zero,
or is measured in large numbers, the valley is long and narrow: a step that is safe across the
narrow direction is tiny along the long one. **Feature scaling** (here: the unit of
concentration) fixes that. Below, the same wells and 200 steps each, with benchlearn's
automatic learning rate **1/L**: L is the valley's steepest curvature, and a step of 1/L always
goes downhill. The **condition number** measures how narrow the valley is: the ratio of its
steepest to its gentlest curvature direction (1 is a round bowl). Large numbers are printed in
**e-notation**: 2.1e+03 means 2.1 × 10³ = 2,100, and 4.5e-05 means 4.5 × 10⁻⁵ = 0.000045.

| concentration in | valley narrowness (condition number) | loss after 200 steps | exact best loss |
|---|---|---|---|
| ng/mL (log10 from −0.1 to 1.1) | {ng_condition} | {ng_loss} | {exact_loss} |
| pg/mL (log10 from 2.9 to 4.1) | {pg_condition} | {pg_loss} | {exact_loss} |

A picogram is a thousandth of a nanogram, so in pg/mL every concentration is 1000 times larger
and its log10 is 3 more: x sits far from zero. Same wells, same model, same line in the end
(only b0 changes, by 3 × b1); in pg/mL gradient descent is still far from it after 200 steps.
This is why machine-learning software usually standardises features first (subtract the mean,
divide by the standard deviation), as we did for the biopsies in Parts 1 and 2.
""",
    "several_predictors": """
### Several predictors: a molecule's solubility from its structure

Linear regression takes any number of features: b0 + b1·x1 + b2·x2 + … . Here it predicts how
well a molecule dissolves in water, which chemists want to know before anyone makes it, from
numbers computed from its structure. The data: the measured solubility in water of 1,282
organic molecules, collected by Huuskonen (2000), each written as its [logS](#term-logs), the
log10 of its solubility in mol/L: −2 means 0.01 mol/L, and one unit lower means ten times
less dissolves. From each structure the RDKit toolkit computes eight
[descriptors](#term-descriptor), numbers a model can learn from (listed next).
""",
    "descriptor_list": """
The eight descriptors, as named in the chooser below:

- **logP** (`logP`): how oily the molecule is, the log10 of how much more of it dissolves in
  octanol (an oil) than in water, estimated from its atoms: 2 means 100 times more in octanol.
- `mol_weight`: its **molecular weight** in g/mol (water 18, aspirin 180).
- `tpsa`: its **polar surface area** in Å² (square ångströms): the surface of its oxygen and
  nitrogen atoms and the hydrogens on them, the parts that attract water.
- `h_donors`: its **hydrogen-bond donors**, hydrogens on oxygen or nitrogen (as in –OH, –NH)
  that can hold on to a water molecule.
- `h_acceptors`: its **hydrogen-bond acceptors**, oxygen and nitrogen atoms that a water
  molecule's hydrogen can hold on to.
- `rotatable_bonds`: its **rotatable bonds**, single bonds outside rings that the molecule can
  twist around: a count of how floppy it is.
- `aromatic_proportion`: the share of its heavy atoms (atoms other than hydrogen) that are
  **aromatic**, part of flat rings like benzene's: 0 none, 1 all.
- `rings`: how many rings its atoms form.
""",
    "several_parameters": """
Choose the predictors below. The **parameter table** has one row per parameter, fitted to all
1,282 molecules: the intercept and one coefficient per chosen descriptor. Each coefficient (its
estimate) is the change in predicted logS per unit of its descriptor (per g/mol, per Å², per
bond…), holding the other chosen descriptors fixed. Its **standard error** says how much that
estimate would vary from one study of this size to the next. Its **confidence interval** is the
range of values consistent with the data: if the study were repeated many times, 95% of
intervals built this way would contain the true value. An interval that excludes 0 means the
data show an effect in that direction; the **p-value** is the chance of a coefficient at least
this far from 0 if the true value were 0.
""",
    "own_several": """
*On your file:* the measured quantity is your y column, and the predictors on offer are the
other columns of numbers in your file (it starts with your x column). A random quarter of your
rows is held out as the test set, and cross-validation uses all of them. Below, read
"molecules" as your rows and "log units" as the units of your y column.
""",
    "several_table": """
The parameter table, fitted to every row:
""",
    "several_lab": """
The same coefficients in lab words, each over a step a chemist would name, the other chosen
descriptors held fixed:
""",
    "several_reading": """
Reading one row: each extra unit of {feature}, in its units in your file, goes with a change of
{estimate} in predicted {response}, 95% confidence interval {ci_lower} to {ci_upper}, other
chosen predictors held fixed.
""",
    "evaluation": """
### Evaluation: is the model any good on molecules it has not seen?

A model is only useful if it predicts rows it has not seen. The data set's authors split the
molecules: the model learns from 1,025 (the **training set**) and is scored on the other 257,
which it never saw (the test set). Two scores:

- **R²** (R squared): the share of the spread in logS that the model explains; 1 is perfect,
  0 is no better than predicting the average for every molecule.
- **RMSE** (root mean squared error): the square root of the MSE, a typical size of a
  prediction error, in the units of what is predicted. For logS an RMSE of 1 means a typical
  prediction is off by a factor of about 10 in mol/L.

What counts as good depends on the setting. A standard curve should explain 0.99 or more of
its spread. Solubility measured for the same compound in different laboratories often differs
by half a log unit, so no model scored against such data can be much closer than that. A
clinical model predicting how a disease will progress depends on much that was never measured:
explaining a third of the spread can still help rank patients.
""",
    "residual_plot": """
The figure beside the scores is a residual plot: each test molecule's residual against its
predicted logS. Residuals scattered evenly around 0 mean the straight-line model has caught the
pattern; a curve or a funnel shape means it has missed something.
""",
    "cross_validation": """
One split is one roll of the dice: another split gives other scores. **Cross-validation**
splits all the rows into 5 parts (folds), trains on 4 and scores on the fifth, five times, so
that every molecule is in a test set once. Its result is written as mean **±** standard
deviation of the five folds' scores: 2.0 ± 0.3 would mean the folds scored 2.0 on average and a
typical fold about 0.3 away from that. That spread shows how much the score depends on the luck
of the split.
""",
    "several_honest": """
*What this shows, and what it does not.* It shows that a few numbers computed from a structure
predict the measured solubility of molecules the model never saw. It does not show what would
happen if a chemist changed one of those numbers: each coefficient is an association among
these molecules, holding the other chosen descriptors fixed, not the effect of redesigning a
molecule. Descriptors go together (oily molecules tend to have little polar surface), so a
coefficient changes when another descriptor joins the model: on its own, more polar surface
goes with better solubility; next to logP and molecular weight, with worse. Nor does it promise
the same accuracy for molecules unlike these: half of them weigh under 175 g/mol and only 4 over
500 g/mol, where many drugs lie.
""",
    "overfitting": """
### Over-fitting: when the model learns the noise

Back to the ELISA, now all 16 wells of the run, from 0.05 to 12.5 ng/mL, read the way a lab
uses a standard curve: predict log10 of the concentration from the optical density. Over this
whole range the relation bends: near the top the colour saturates, so a small rise in density
means a large rise in concentration. A **polynomial** model adds powers of the density
(b0 + b1·x + b2·x² + …) so the line can bend. The degree is the highest power.

Three of the eight standards are held out for testing, both wells of each: in order of
concentration the 2nd, 4th and 6th (0.2, 0.78 and 3.1 ng/mL). The lowest and the highest are
always used for training, so each test standard lies between two training standards: the test
asks how well a curve predicts between the points it learned from, as it must for an unknown
sample.

Raise the degree. The training error keeps falling, because extra parameters can always chase
the points they were fitted to; at degree 9 the curve passes through all 10 training wells and
the training error is 0. The test error falls while the curve learns the bend and is lowest at
degree 5; from degree 6 on, the curve bends to pass through the training wells and swings
between them, and at degree 9 it misses the held-out standards badly. Cross-validation repeats
the test five times, each time holding out other standards between the lowest and the highest,
and shows the same. That is **over-fitting**. The degree with the lowest test or
cross-validation error is the honest choice, and a curve that needs that many parameters to
fit 8 standards is a hint that another shape of curve would serve better.
""",
    "own_overfitting": """
*On your file:* the same experiment on the rows of *{source}*: the curve is fitted to
{n_train} of them and tested on the other {n_test}, every other row in order of x. Degrees go up to
{max_degree}: a curve of degree d has d + 1 parameters, so it needs at least d + 1 different
x values to learn from.
""",
    "own_overfitting_too_few": """
*On your file:* this experiment needs {min_rows} to {max_rows} rows, with at least three
different x values among the training half, so it stays on the lesson's assay.
""",
    # ---- Checks, own data, glossary -------------------------------------------------------
    "quiz_intro": """
### Check your understanding: objective {objective}

*{goal}* Pick an answer. If it is not the right one, you are told what it mixes up and
can try again; after a second miss the answer is shown.
""",
    "score": """
### Your score

How many questions of each objective you answered right at the first try. If an objective's
score is low, reread its part and try its questions again: your picks there can change.
""",
    "own_data": """
## Try it on your own data

Everything above works on your own measurements. Save them as a CSV or Excel file, one row per
well or sample, one column per measured quantity, then in a terminal type:

    benchlearn fit my_assay.csv --y a562 --x bsa_ug_per_ml --report my_assay_report.html

Replace `my_assay.csv` with your file and `a562` and `bsa_ug_per_ml` with your column names. It
prints the parameter table with confidence intervals, R² and warnings about suspicious wells,
and writes a report you can open in a browser. To practise first on a simulated BCA protein assay:

    benchlearn datasets export protein_assay protein_assay.csv
    benchlearn fit protein_assay.csv --y a562 --x bsa_ug_per_ml --report protein_assay.html
""",
    "glossary_intro": """
## Glossary
""",
    # ---- Part 1: the rule's two kinds of mistake, under its histogram --------------------------
    "rule_mistakes": """
At this threshold the rule calls {false_alarms} benign test biopsies malignant (bars right of
the line) and misses {missed} malignant ones (bars left of it). Moving the line trades one kind
of mistake for the other; the accuracy counts everything else.
""",
}

# Sections the live page shows only when a learner has loaded a file of their own in Part 3
# (a handout, which has no upload, leaves them out; "data_choice" is shown either way).
OWN_FILE_SECTIONS: tuple[str, ...] = (
    "own_waiting",
    "own_loaded",
    "own_dropped",
    "own_scaling",
    "own_overfitting",
    "own_several",
    "own_overfitting_too_few",
)

OWN_DATA_COMMANDS: tuple[str, ...] = (
    "benchlearn fit my_assay.csv --y a562 --x bsa_ug_per_ml --report my_assay_report.html",
    "benchlearn datasets export protein_assay protein_assay.csv",
    "benchlearn fit protein_assay.csv --y a562 --x bsa_ug_per_ml --report protein_assay.html",
)


def template_fields(key: str) -> set[str]:
    """The ``{name}`` fields of one section (empty for plain prose)."""
    return {name for _, name, _, _ in string.Formatter().parse(SECTIONS[key]) if name}


TEMPLATE_FIELDS: dict[str, set[str]] = {
    key: fields for key in SECTIONS if (fields := template_fields(key))
}


def fill(key: str, **values: object) -> str:
    """Return section ``key`` with its fields filled in (every field must be given)."""
    missing = template_fields(key) - set(values)
    if missing:
        raise KeyError(f"section {key!r} needs values for {sorted(missing)}")
    return SECTIONS[key].format(**values)


def subsections(key: str) -> list[str]:
    """Section ``key`` cut before each of its sub-headings (``### ...``): one slide each.

    The pieces are the section's own text in order (a presented slide holds one of them);
    joined, they give the section back.
    """
    return [piece for piece in re.split(r"(?m)^(?=### )", SECTIONS[key]) if piece.strip()]
