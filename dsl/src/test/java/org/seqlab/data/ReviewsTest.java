package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.seqlab.data.synthetic.Reviews;
import org.seqlab.data.synthetic.Reviews.Kind;
import org.seqlab.data.synthetic.Reviews.Review;

class ReviewsTest {

    @Test
    void sameSeedSameReviewsAndNoneRepeats() {
        List<Review> a = Reviews.generate(3000, 5);
        assertEquals(a, Reviews.generate(3000, 5));
        assertNotEquals(a, Reviews.generate(3000, 6));
        assertEquals(3000, a.size());
        assertEquals(3000, new HashSet<>(a.stream().map(Review::text).toList()).size());
        assertEquals(Reviews.generate(100, 20, 5), Reviews.generate(100, 20, 5));
    }

    /** Each label is checked by reading the sentence with the rule its kind states, independently of the generator. */
    @Test
    void everyLabelFollowsTheRuleOfItsKind() {
        for (Review r : Reviews.generate(5000, 1)) {
            List<String> words = Arrays.asList(r.text().split(" "));
            List<Integer> adjectives = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                if (Reviews.polarity(words.get(i)) != 0) adjectives.add(i);
            }
            int first = Reviews.polarity(words.get(adjectives.get(0)));
            int expected = switch (r.kind()) {
                case PLAIN -> first;
                case NEGATED -> {
                    assertTrue(words.contains("not"), r.text());
                    yield -first;
                }
                case CONTRAST -> {
                    assertTrue(r.text().contains(" , not ") && r.text().endsWith(" at all ."), r.text());
                    yield first;
                }
                case NOT_BUT, EXPECTED -> Reviews.polarity(words.get(adjectives.get(1)));
            };
            assertEquals(r.kind().orderDecides() ? 2 : 1, adjectives.size(), r.text());
            if (r.kind().orderDecides()) {
                assertEquals(-first, Reviews.polarity(words.get(adjectives.get(1))), "opposite adjectives: " + r.text());
            }
            assertEquals(expected > 0 ? Reviews.POSITIVE_LABEL : Reviews.NEGATIVE_LABEL, r.label(), r.text());
        }
    }

    @Test
    void kindsComeInEqualSharesAndEachIsAboutHalfPositive() {
        List<Review> reviews = Reviews.generate(5000, 2);
        for (Kind kind : Kind.values()) {
            List<Review> ofKind = reviews.stream().filter(r -> r.kind() == kind).toList();
            assertTrue(Math.abs(ofKind.size() - 1000) <= 2, kind + ": " + ofKind.size());
            long positive = ofKind.stream().filter(Review::positive).count();
            assertTrue(positive > 440 && positive < 560, kind + ": " + positive + " of " + ofKind.size() + " positive");
        }
    }

    /**
     * The property the sentiment notebook rests on. Where order does not decide, a rule that looks only at which
     * words occur (the adjective's polarity, flipped when "not" occurs) gets every review right. Where it does,
     * every review has its twin beside it, with the same words and the opposite label, and no test bag of words
     * occurs in training: any order-blind model answers both twins alike and is right on exactly half.
     */
    @Test
    void whereOrderDecidesEveryReviewHasATwinWithTheSameWordsAndTheOppositeLabel() {
        Reviews.Split split = Reviews.generate(6000, 2000, 3);
        assertEquals(6000, split.train().size());
        assertEquals(2000, split.test().size());
        for (List<Review> part : List.of(split.train(), split.test())) {
            Map<String, List<Review>> byBag = new HashMap<>();
            for (Review r : part) byBag.computeIfAbsent(bag(r.text()), k -> new ArrayList<>()).add(r);
            for (Review r : part) {
                List<Review> same = byBag.get(bag(r.text()));
                if (r.kind().orderDecides()) {
                    assertEquals(2, same.size(), "a review and its twin: " + r.text());
                    assertNotEquals(same.get(0).label(), same.get(1).label(), "twins disagree: " + same);
                } else {
                    assertEquals(1, same.size(), r.text());
                    List<String> words = Arrays.asList(r.text().split(" "));
                    int polarity = words.stream().mapToInt(Reviews::polarity).sum() * (words.contains("not") ? -1 : 1);
                    assertEquals(polarity > 0, r.positive(), "an order-free rule reads " + r.text());
                }
            }
        }
        Set<String> trainBags = new HashSet<>();
        for (Review r : split.train()) trainBags.add(bag(r.text()));
        for (Review r : split.test()) assertFalse(trainBags.contains(bag(r.text())), "held out: " + r.text());
    }

    private static String bag(String text) {
        String[] words = text.split(" ");
        Arrays.sort(words);
        return String.join(" ", words);
    }

    @Test
    void datasetNumbersNegativeZeroPositiveOneAndKeepsPunctuationAsWords() {
        List<Review> reviews = Reviews.generate(50, 4);
        Vocab vocab = Vocab.words(Reviews.corpus(reviews));
        LabelledSequences data = Reviews.dataset(reviews, vocab);
        assertEquals(List.of("negative", "positive"), data.classNames());
        assertEquals(TargetKind.CLASS_PER_SEQUENCE, data.targetKind());
        for (int i = 0; i < reviews.size(); i++) {
            assertEquals(reviews.get(i).positive() ? 1 : 0, data.label(i));
            assertEquals(reviews.get(i).text(), vocab.decode(data.sequence(i)));
        }
        assertTrue(vocab.contains(","), "the comma is a token of its own");
    }

    @Test
    void badRequestsAreRefusedWithAHint() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Reviews.generate(0, 1)).getMessage()
                .contains("at least one"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Reviews.dataset(List.of(), Vocab.words("a")))
                .getMessage().contains("Reviews.generate"));
    }
}
