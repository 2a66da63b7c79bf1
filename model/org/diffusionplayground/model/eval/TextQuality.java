package org.diffusionplayground.model.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reader notices first in generated text, as numbers comparable with real text of the same
 * length: the share of words that are words of the training text (not babble), how varied the
 * word bigrams are (loops like "the the of the" score low; real text is near 1), and the longest
 * stretch copied verbatim from the training text (memorisation). Words are maximal runs of
 * letters and apostrophes, compared in lower case.
 *
 * @param realWordShare   generated words found in the training text ÷ generated words
 * @param distinctBigrams distinct word bigrams ÷ word bigrams, within each sample, averaged
 * @param longestCopy     the longest substring of any sample that occurs in the training text
 * @param words           generated words counted
 */
public record TextQuality(double realWordShare, double distinctBigrams, int longestCopy, int words) {

    private static final Pattern WORD = Pattern.compile("[A-Za-z']+");

    /** The measures of {@code samples} against {@code training}, the training text. */
    public static TextQuality of(List<String> samples, String training) {
        Set<String> vocabulary = words(training);
        int words = 0, known = 0, longest = 0;
        double bigramShare = 0;
        int withBigrams = 0;
        for (String s : samples) {
            List<String> ws = WORD.matcher(s).results().map(m -> m.group().toLowerCase(Locale.ROOT)).toList();
            words += ws.size();
            for (String w : ws) if (vocabulary.contains(w)) known++;
            if (ws.size() >= 2) {
                Set<String> distinct = new HashSet<>();
                for (int i = 1; i < ws.size(); i++) distinct.add(ws.get(i - 1) + " " + ws.get(i));
                bigramShare += distinct.size() / (double) (ws.size() - 1);
                withBigrams++;
            }
            longest = Math.max(longest, longestCopy(s, training));
        }
        return new TextQuality(words == 0 ? 0 : known / (double) words, withBigrams == 0 ? 0 : bigramShare / withBigrams, longest, words);
    }

    /** The lower-cased words of {@code text}. */
    static Set<String> words(String text) {
        Set<String> set = new HashSet<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) set.add(m.group().toLowerCase(Locale.ROOT));
        return set;
    }

    /** The length of the longest substring of {@code s} that occurs in {@code text} (grown greedily from each start). */
    static int longestCopy(String s, String text) {
        int best = 0;
        for (int start = 0; start + best < s.length(); start++) {
            int length = best + 1; // only a longer copy matters
            while (start + length <= s.length() && text.contains(s.substring(start, start + length))) length++;
            best = Math.max(best, length - 1);
        }
        return best;
    }
}
