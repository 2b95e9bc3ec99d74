package org.seqlab.data.synthetic;

import java.util.Random;

/**
 * English-like text from a small hand-written grammar: short stories of people, animals and things
 * by a river, in sentences with subjects, verbs, objects, places, subordinate clauses, questions and
 * quoted speech, with punctuation, line breaks and blank lines between paragraphs. The vocabulary is
 * small and the structure regular, so a character-level LSTM visibly learns spelling, then word
 * order, then punctuation within a few minutes of CPU training. The same seed gives the same text.
 */
public final class SyntheticGrammar {

    private static final String[] NAMES = {"Ada", "Tomas", "Mira", "Jonah", "Lena", "Piet", "Rosa", "Emil"};
    private static final String[] PEOPLE = {"miller", "fisher", "baker", "weaver", "sailor", "shepherd",
        "teacher", "child", "farmer", "painter"};
    private static final String[] ANIMALS = {"fox", "heron", "goat", "crow", "cat", "old dog", "owl"};
    private static final String[] THINGS = {"lantern", "basket", "letter", "boat", "map", "bell", "kettle",
        "blanket", "ladder", "song", "window", "key"};
    private static final String[] PLACES = {"river", "bridge", "garden", "hill", "mill", "harbour", "market",
        "forest", "kitchen", "orchard"};
    private static final String[] ADJECTIVES = {"old", "small", "quiet", "green", "bright", "tired", "clever",
        "gentle", "cold", "heavy", "little", "red", "patient", "happy"};
    private static final String[] DETERMINERS = {"the", "the", "the", "a", "every", "my", "our", "that"};
    // transitive verbs: base, third person singular, past
    private static final String[][] VERBS = {
        {"carry", "carries", "carried"}, {"find", "finds", "found"}, {"paint", "paints", "painted"},
        {"mend", "mends", "mended"}, {"watch", "watches", "watched"}, {"follow", "follows", "followed"},
        {"keep", "keeps", "kept"}, {"open", "opens", "opened"}, {"bring", "brings", "brought"},
        {"lose", "loses", "lost"}, {"hide", "hides", "hid"}, {"clean", "cleans", "cleaned"}};
    private static final String[][] INTRANSITIVE = {
        {"sleep", "sleeps", "slept"}, {"wait", "waits", "waited"}, {"laugh", "laughs", "laughed"},
        {"wander", "wanders", "wandered"}, {"sing", "sings", "sang"}, {"rest", "rests", "rested"}};
    private static final String[] ADVERBS = {"slowly", "quietly", "again", "at dawn", "after supper",
        "every morning", "in the rain", "once more", "carefully"};
    private static final String[] PREPOSITIONS = {"near", "under", "beside", "across", "behind", "by"};
    private static final String[] LINKS = {"because", "while", "when", "until", "before", "after"};
    private static final String[] SAYING = {"said", "asked", "whispered", "called", "answered"};

    private final Random random;
    private boolean past;

    private SyntheticGrammar(long seed) {
        this.random = new Random(seed);
    }

    /** Exactly {@code nChars} characters of text generated with {@code seed}. */
    public static String text(int nChars, long seed) {
        if (nChars < 1) {
            throw new IllegalArgumentException("nChars is " + nChars + "; ask for at least one character");
        }
        SyntheticGrammar grammar = new SyntheticGrammar(seed);
        StringBuilder out = new StringBuilder(nChars + 400);
        while (out.length() < nChars) {
            grammar.paragraph(out);
        }
        return out.substring(0, nChars);
    }

    /**
     * Every word the grammar writes, in lower case, with its word class: name, person, animal, thing,
     * place, adjective, determiner, preposition, link, verb (base), verb (-s), verb (past), saying
     * verb, adverb, verb (be), verb (do), other. Known answers for a word-level model: its embedding of a word can be compared
     * with the word's class. A word with two roles keeps the first class in this list ("after" is a
     * link, though it also starts the adverb "after supper"; in "old dog", old is an adjective).
     */
    public static java.util.Map<String, String> wordClasses() {
        java.util.Map<String, String> classes = new java.util.LinkedHashMap<>();
        // a phrase's last word carries its class ("old dog": dog is the animal); its other words are
        // classed by their own lists, or by the phrase's class when no list has them ("at dawn")
        java.util.Map<String, String> others = new java.util.LinkedHashMap<>();
        add(classes, others, "name", NAMES);
        add(classes, others, "person", PEOPLE);
        add(classes, others, "animal", ANIMALS);
        add(classes, others, "thing", THINGS);
        add(classes, others, "place", PLACES);
        add(classes, others, "adjective", ADJECTIVES);
        add(classes, others, "determiner", DETERMINERS);
        add(classes, others, "determiner", "an");
        add(classes, others, "preposition", PREPOSITIONS);
        add(classes, others, "link", LINKS);
        for (String[] forms : concat(VERBS, INTRANSITIVE)) {
            add(classes, others, "verb (base)", forms[0]);
            add(classes, others, "verb (-s)", forms[1]);
            add(classes, others, "verb (past)", forms[2]);
        }
        add(classes, others, "saying verb", SAYING);
        add(classes, others, "saying verb", "says", "asks", "whispers", "calls", "answers");
        add(classes, others, "adverb", ADVERBS);
        // the grammar's few function words
        add(classes, others, "verb (be)", "is", "was");
        add(classes, others, "verb (do)", "does", "did");
        add(classes, others, "other", "there", "and");
        others.forEach(classes::putIfAbsent);
        return java.util.Collections.unmodifiableMap(classes);
    }

    private static void add(java.util.Map<String, String> classes, java.util.Map<String, String> others, String wordClass,
                            String... phrases) {
        for (String phrase : phrases) {
            String[] words = phrase.toLowerCase(java.util.Locale.ROOT).split(" ");
            classes.putIfAbsent(words[words.length - 1], wordClass);
            for (int i = 0; i < words.length - 1; i++) others.putIfAbsent(words[i], wordClass);
        }
    }

    private static String[][] concat(String[][] a, String[][] b) {
        String[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void paragraph(StringBuilder out) {
        past = random.nextInt(3) > 0;
        int lines = 2 + random.nextInt(4);
        for (int l = 0; l < lines; l++) {
            int sentences = 1 + random.nextInt(2);
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    out.append(' ');
                }
                out.append(capitalised(sentence()));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private String sentence() {
        return switch (random.nextInt(8)) {
            case 0, 1 -> clause() + ".";
            case 2 -> clause() + " " + pick(LINKS) + " " + clause() + ".";
            case 3 -> clause() + ", and " + clause() + ".";
            case 4 -> question();
            case 5 -> speech();
            case 6 -> "there " + (past ? "was" : "is") + " " + indefinite(nounPhrase(THINGS)) + " " + place() + ".";
            default -> {
                String first = pick(ADJECTIVES);
                String second = pick(ADJECTIVES);
                while (second.equals(first)) {
                    second = pick(ADJECTIVES);
                }
                yield subject() + " " + (past ? "was" : "is") + " " + first + " and " + second + ".";
            }
        };
    }

    private String clause() {
        String subject = subject();
        String[] verb;
        String rest;
        if (random.nextInt(4) == 0) {
            verb = pick(INTRANSITIVE);
            rest = random.nextBoolean() ? place() : pick(ADVERBS);
        } else {
            verb = pick(VERBS);
            rest = object();
            if (random.nextInt(3) == 0) {
                rest += " " + place();
            } else if (random.nextInt(3) == 0) {
                rest += " " + pick(ADVERBS);
            }
        }
        return subject + " " + verb[past ? 2 : 1] + " " + rest;
    }

    private String question() {
        String[] verb = pick(VERBS);
        return (past ? "did " : "does ") + subject() + " " + verb[0] + " " + object() + "?";
    }

    private String speech() {
        String quoted = capitalised(clause());
        boolean asks = random.nextInt(3) == 0;
        String verb = asks ? "asked" : pick(SAYING);
        if (!past) {
            verb = switch (verb) {
                case "said" -> "says";
                case "asked" -> "asks";
                case "whispered" -> "whispers";
                case "called" -> "calls";
                default -> "answers";
            };
        }
        return "\"" + quoted + (asks ? "?\" " : ",\" ") + verb + " " + subject() + ".";
    }

    private String subject() {
        return switch (random.nextInt(3)) {
            case 0 -> pick(NAMES);
            case 1 -> nounPhrase(PEOPLE);
            default -> nounPhrase(ANIMALS);
        };
    }

    private String object() {
        return random.nextInt(4) == 0 ? pick(NAMES) : nounPhrase(random.nextInt(3) == 0 ? ANIMALS : THINGS);
    }

    private String place() {
        return pick(PREPOSITIONS) + " the " + pick(PLACES);
    }

    private String nounPhrase(String[] nouns) {
        String determiner = pick(DETERMINERS);
        String adjective = random.nextInt(3) == 0 ? pick(ADJECTIVES) + " " : "";
        return withArticle(determiner, adjective + pick(nouns));
    }

    /** The phrase with its determiner made "a" or "an" (the phrase keeps "the"). */
    private static String indefinite(String phrase) {
        String[] parts = phrase.split(" ", 2);
        return parts[0].equals("the") ? phrase : withArticle("a", parts[1]);
    }

    private static String withArticle(String determiner, String rest) {
        boolean vowel = "aeiou".indexOf(rest.charAt(0)) >= 0;
        return (determiner.equals("a") && vowel ? "an" : determiner) + " " + rest;
    }

    private static String capitalised(String s) {
        int first = s.charAt(0) == '"' ? 1 : 0;
        return s.substring(0, first) + Character.toUpperCase(s.charAt(first)) + s.substring(first + 1);
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }
}
