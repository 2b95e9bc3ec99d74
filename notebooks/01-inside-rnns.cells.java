// ---- markdown
// # Inside recurrent networks
// 
// We train one small character-level LSTM and then look inside it: its gates step by step,
// single units that track something in the text, how saturated the gates are, how far the
// gradient reaches back in time, the path of the hidden state, and the learned embedding table.
// Every picture comes from the same forward (and backward) pass the model trains with.
// ---- cell
import org.seqlab.*;
import org.seqlab.data.*;
import org.seqlab.train.*;
import org.seqlab.inspect.*;
import org.seqlab.viz.*;
import org.seqlab.layers.Activation;
import java.util.*;
// ---- markdown
// ## A small model on the demo corpus
// 
// 30,000 characters of seqlab's shipped demo text, windows of 64 characters, an embedding of 16
// and one LSTM of 64 units predicting the next character. This trains in well under a minute.
// ---- cell
String text = ShippedText.demo().substring(0, 30_000);
Vocab vocab = Vocab.chars(text);
var data = TextWindows.of(text, vocab, 64, 32);
Model model = Seq.model().vocab(vocab).embed(16).lstm(64).softmax().seed(7).build();
TrainingHistory history = model.fit(data, FitOptions.steps(250).batchSize(32).adam(5e-3).clipNorm(5));
display(LossCurve.of(history).title("char LSTM: training loss"));
history
// ---- cell
model.generate("the ", 200, 0.7)
// ---- markdown
// ## Gates, step by step
// 
// `model.gates(text)` runs the model on one text and keeps, for every LSTM layer, the input gate i,
// forget gate f, candidate g, output gate o, the cell state c and the hidden state h, per step and
// unit. Each heatmap has the units as rows and the characters of the input as columns.
// ---- cell
String sample = text.substring(1000, 1120);
GateTrace trace = model.gates(sample);
trace
// ---- cell
display(trace.heatmap("lstm_1", "f"));
display(trace.heatmap("lstm_1", "i"));
display(trace.heatmap("lstm_1", "o"));
// ---- cell
display(trace.heatmap("lstm_1", "c"));
display(trace.heatmap("lstm_1", "h"));
// ---- markdown
// ## One unit at a time
// 
// Following Karpathy, Johnson and Fei-Fei (2015), colour the text by one unit's value at each
// character (blue negative, red positive; hover for the number). We pick the units whose hidden
// state varies most over the sample; some of them switch on inside words, after spaces or near
// punctuation.
// ---- cell
double[][] h = trace.values("lstm_1", "h");
Integer[] units = new Integer[h[0].length];
for (int j = 0; j < units.length; j++) units[j] = j;
double[] spread = new double[units.length];
for (int j = 0; j < units.length; j++) {
    double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
    for (double[] step : h) { lo = Math.min(lo, step[j]); hi = Math.max(hi, step[j]); }
    spread[j] = hi - lo;
}
Arrays.sort(units, (a, b) -> Double.compare(spread[b], spread[a]));
for (int k = 0; k < 3; k++) display(trace.coloredText("lstm_1", "h", units[k]));
// ---- cell
display(trace.coloredText("lstm_1", "c", units[0]));
// ---- markdown
// ## Saturation
// 
// One dot per unit and gate: how often the gate is nearly closed (< 0.1, x axis) and how often
// nearly open (> 0.9, y axis). Forget gates high on the y axis keep their cell for long stretches;
// dots near the origin respond to the input.
// ---- cell
display(trace.saturation("lstm_1"));
// ---- markdown
// ## How far back does the gradient reach?
// 
// `gradientFlow` measures the norm of dL/dh_t at every step t for the loss at the last step only:
// how much of what the model gets wrong at the end can still change what it did t steps before.
// ---- cell
GradientFlow flow = model.gradientFlow(sample);
display(flow);
flow
// ---- markdown
// The same measurement for four untrained models on the same input: a tanh RNN, a ReLU RNN with
// identity initialisation (Le, Jaitly and Hinton 2015), an LSTM and a GRU. The x axis is the
// distance from the end, the y axis the norm relative to the last step, on a log scale: a straight
// fall is a vanishing gradient.
// ---- cell
String probe = sample.substring(0, 60);
Map<String, GradientFlow> flows = new LinkedHashMap<>();
flows.put("tanh RNN", Seq.model().vocab(vocab).embed(16).rnn(64).softmax().seed(1).build().gradientFlow(probe));
flows.put("ReLU RNN, identity init", Seq.model().vocab(vocab).embed(16).rnn(64, Activation.RELU, true).softmax().seed(1).build().gradientFlow(probe));
flows.put("LSTM", Seq.model().vocab(vocab).embed(16).lstm(64).softmax().seed(1).build().gradientFlow(probe));
flows.put("GRU", Seq.model().vocab(vocab).embed(16).gru(64).softmax().seed(1).build().gradientFlow(probe));
flows.put("LSTM (trained above)", model.gradientFlow(probe));
display(GradientFlow.compare(flows));
// ---- markdown
// ## Hidden states and the embedding table
// 
// `model.states(text)` keeps every layer's output per step. Below: the LSTM's hidden state as a
// heatmap and its path through the two main principal components, each step labelled with its
// character. Then the embedding table on its two main principal components: characters the model
// treats alike (vowels, punctuation, space) sit together.
// ---- cell
HiddenStates states = model.states(sample.substring(0, 60));
display(states.heatmap("lstm_1"));
display(states.trajectory("lstm_1"));
states
// ---- cell
EmbeddingMap map = model.embeddingMap();
display(map);
map
// ---- markdown
// Every picture can be saved as a file too, e.g. `trace.heatmap("lstm_1", "f").savePng(Path.of("forget.png"))`
// or `trace.coloredText("lstm_1", "h", 3).saveHtml(Path.of("unit3.html"))`.
