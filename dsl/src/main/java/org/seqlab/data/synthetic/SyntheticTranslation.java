package org.seqlab.data.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.seqlab.data.ParallelText;

/**
 * A translation task that needs attention: English-like sentences from a small grammar and their
 * translation into a made-up language with another word order and agreement. Everything is generated
 * here (no corpus); the same seed gives the same pairs.
 *
 * <p>The made-up language:
 * <ul>
 *   <li>word order subject - place - object - verb: {@code the dog sees a cat near the tree} becomes
 *       {@code vasu le olmi le apud miro ko vide} (the place phrase moves from the end to the middle,
 *       the verb to the end, and {@code ko} marks the object);</li>
 *   <li>inside a noun phrase the noun comes first, then its adjectives, then the article: {@code le}
 *       (the, singular), {@code lei} (the, plural), {@code kai} (some); {@code a} has no word;</li>
 *   <li>nouns belong to one of two classes and take {@code -n} in the plural; adjectives agree with
 *       their noun in class and number ({@code mara, maran} for class 1, {@code maro, maron} for class 2);
 *       verbs agree with the subject in number ({@code vide} / {@code viden});</li>
 *   <li>prepositions become postpositions after their noun phrase; two clauses join with
 *       {@code and} / {@code e}.</li>
 * </ul>
 * A source has one or two clauses, each with up to two adjectives per noun phrase and an optional
 * place, from 3 to 29 words. A fixed-size summary of the source (an encoder-decoder without
 * attention) loses the long ones; attention reads the words it needs where they are.
 */
public final class SyntheticTranslation {

    /** English singular, English plural, made-up stem, noun class (1 or 2). */
    private record Noun(String singular, String plural, String stem, int nounClass) {
        String target(boolean plural) {
            return plural ? stem + "n" : stem;
        }
    }

    /** English 3rd person singular, plural form, made-up stem. */
    private record Verb(String singular, String plural, String stem) {
        String target(boolean pluralSubject) {
            return stem + (pluralSubject ? "en" : "e");
        }
    }

    private static final Noun[] NOUNS = {
        new Noun("dog", "dogs", "vasu", 1), new Noun("cat", "cats", "miro", 2), new Noun("bird", "birds", "tepi", 1),
        new Noun("horse", "horses", "kaldo", 2), new Noun("child", "children", "nima", 1),
        new Noun("man", "men", "doru", 2), new Noun("woman", "women", "seli", 1),
        new Noun("farmer", "farmers", "gatro", 2), new Noun("king", "kings", "raxo", 2),
        new Noun("girl", "girls", "lumi", 1), new Noun("boy", "boys", "paku", 2), new Noun("tree", "trees", "olmi", 1),
        new Noun("river", "rivers", "fluvo", 2), new Noun("house", "houses", "domi", 1),
        new Noun("ball", "balls", "bolu", 2), new Noun("apple", "apples", "pomi", 1)};
    /** English adjective, made-up stem (the ending agrees). */
    private static final String[][] ADJECTIVES = {
        {"big", "mar"}, {"small", "pik"}, {"old", "vel"}, {"young", "jun"}, {"red", "rud"}, {"green", "verd"},
        {"happy", "fel"}, {"angry", "kol"}, {"quick", "rap"}, {"lazy", "len"}};
    private static final Verb[] TRANSITIVE = {
        new Verb("sees", "see", "vid"), new Verb("likes", "like", "am"), new Verb("follows", "follow", "sek"),
        new Verb("finds", "find", "trov"), new Verb("chases", "chase", "cas"), new Verb("helps", "help", "aju"),
        new Verb("carries", "carry", "port"), new Verb("watches", "watch", "rigard")};
    private static final Verb[] INTRANSITIVE = {
        new Verb("sleeps", "sleep", "dorm"), new Verb("runs", "run", "kur"), new Verb("sings", "sing", "kant"),
        new Verb("waits", "wait", "atend")};
    /** English preposition, made-up postposition. */
    private static final String[][] PLACES = {{"near", "apud"}, {"under", "sub"}, {"behind", "post"}, {"with", "kun"}};

    private final Random random;

    private SyntheticTranslation(long seed) {
        this.random = new Random(seed);
    }

    /** {@code n} distinct pairs generated with {@code seed}. */
    public static List<ParallelText.Pair> pairs(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("n is " + n + "; ask for at least one pair");
        SyntheticTranslation g = new SyntheticTranslation(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<ParallelText.Pair> out = new ArrayList<>(n);
        int attempts = 0;
        while (out.size() < n) {
            if (++attempts > 50 * n + 1000) throw new IllegalStateException("the grammar ran out of distinct sentences");
            ParallelText.Pair p = g.sentence();
            if (seen.add(p.source())) out.add(p);
        }
        return out;
    }

    /** {@link #pairs} as a dataset with word vocabularies. */
    public static ParallelText dataset(int n, long seed) {
        return ParallelText.of(pairs(n, seed));
    }

    /** Translates one sentence of this grammar (for tests and for checking a model by hand). */
    public static String translate(String source) {
        return new Translator(source.trim().split("\\s+")).sentence();
    }

    private ParallelText.Pair sentence() {
        StringBuilder src = new StringBuilder();
        clause(src);
        if (random.nextInt(5) < 2) {
            src.append(" and ");
            clause(src);
        }
        String s = src.toString();
        return ParallelText.pair(s, translate(s));
    }

    private void clause(StringBuilder out) {
        nounPhrase(out);
        boolean plural = lastNounPlural(out);
        boolean transitive = random.nextInt(4) > 0;
        Verb v = transitive ? TRANSITIVE[random.nextInt(TRANSITIVE.length)] : INTRANSITIVE[random.nextInt(INTRANSITIVE.length)];
        out.append(' ').append(plural ? v.plural() : v.singular());
        if (transitive) {
            out.append(' ');
            nounPhrase(out);
        }
        if (random.nextInt(2) == 0) {
            out.append(' ').append(PLACES[random.nextInt(PLACES.length)][0]).append(' ');
            nounPhrase(out);
        }
    }

    private void nounPhrase(StringBuilder out) {
        boolean plural = random.nextInt(3) == 0;
        int det = random.nextInt(2);
        out.append(plural ? (det == 0 ? "the" : "some") : (det == 0 ? "the" : "a"));
        int adjectives = random.nextInt(3);
        String previous = null;
        for (int i = 0; i < adjectives; i++) {
            String a = ADJECTIVES[random.nextInt(ADJECTIVES.length)][0];
            if (a.equals(previous)) continue;
            out.append(' ').append(a);
            previous = a;
        }
        Noun n = NOUNS[random.nextInt(NOUNS.length)];
        out.append(' ').append(plural ? n.plural() : n.singular());
    }

    private static boolean lastNounPlural(StringBuilder out) {
        String s = out.toString();
        String last = s.substring(s.lastIndexOf(' ') + 1);
        return noun(last) != null && isPlural(last);
    }

    private static Noun noun(String word) {
        for (Noun n : NOUNS) if (n.singular().equals(word) || n.plural().equals(word)) return n;
        return null;
    }

    private static boolean isPlural(String word) {
        for (Noun n : NOUNS) if (n.plural().equals(word)) return true;
        return false;
    }

    /** A recursive-descent reader of one source sentence that writes its translation. */
    private static final class Translator {
        private final String[] words;
        private int next;

        Translator(String[] words) {
            this.words = words;
        }

        String sentence() {
            List<String> out = new ArrayList<>();
            clause(out);
            while (next < words.length && words[next].equals("and")) {
                next++;
                out.add("e");
                clause(out);
            }
            if (next != words.length) throw refuse("an unexpected '" + words[next] + "'");
            return String.join(" ", out);
        }

        private void clause(List<String> out) {
            List<String> subject = new ArrayList<>();
            boolean plural = nounPhrase(subject);
            String verbWord = word();
            Verb v = verb(verbWord);
            if (v == null) throw refuse("'" + verbWord + "' where a verb should be");
            if (!verbWord.equals(plural ? v.plural() : v.singular())) throw refuse("'" + verbWord + "' does not agree with its subject");
            List<String> object = new ArrayList<>();
            if (isTransitive(v)) nounPhrase(object);
            List<String> place = new ArrayList<>();
            if (next < words.length && place(words[next]) != null) {
                String post = place(word());
                nounPhrase(place);
                place.add(post);
            }
            out.addAll(subject);
            out.addAll(place);
            if (!object.isEmpty()) {
                out.addAll(object);
                out.add("ko");
            }
            out.add(v.target(plural));
        }

        /** Writes the noun phrase's translation; returns whether it is plural. */
        private boolean nounPhrase(List<String> out) {
            String det = word();
            if (!List.of("the", "a", "some").contains(det)) throw refuse("'" + det + "' where an article should be");
            List<String> adjectives = new ArrayList<>();
            String w = word();
            while (adjective(w) != null) {
                adjectives.add(adjective(w));
                w = word();
            }
            Noun n = noun(w);
            if (n == null) throw refuse("'" + w + "' where a noun should be");
            boolean plural = isPlural(w);
            out.add(n.target(plural));
            String ending = (n.nounClass() == 1 ? "a" : "o") + (plural ? "n" : "");
            for (String stem : adjectives) out.add(stem + ending);
            switch (det) {
                case "the" -> out.add(plural ? "lei" : "le");
                case "some" -> out.add("kai");
                default -> { }
            }
            return plural;
        }

        private String word() {
            if (next >= words.length) throw refuse("the sentence ends early");
            return words[next++];
        }

        private IllegalArgumentException refuse(String what) {
            return new IllegalArgumentException("not a sentence of this grammar (" + what + "): " + String.join(" ", words));
        }

        private static Verb verb(String word) {
            for (Verb v : TRANSITIVE) if (v.singular().equals(word) || v.plural().equals(word)) return v;
            for (Verb v : INTRANSITIVE) if (v.singular().equals(word) || v.plural().equals(word)) return v;
            return null;
        }

        private static boolean isTransitive(Verb v) {
            for (Verb t : TRANSITIVE) if (t == v) return true;
            return false;
        }

        private static String adjective(String word) {
            for (String[] a : ADJECTIVES) if (a[0].equals(word)) return a[1];
            return null;
        }

        private static String place(String word) {
            for (String[] p : PLACES) if (p[0].equals(word)) return p[1];
            return null;
        }
    }
}
