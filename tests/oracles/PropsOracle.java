// Differential-test oracle: loads .properties files with java.util.Properties ("java") or with
// Apache Commons Configuration 1.x PropertiesConfiguration as Liferay does ("commons") and prints
// every key and value as hex UTF-16 code units, one file per block.
//
// usage: java PropsOracle MODE CHARSET < list-of-paths
// output per file:  "FILE" / "KV <hex key> <hex value>"... / "END"  or "ERROR <message>"
import java.io.*;
import java.nio.charset.Charset;
import java.util.*;

public class PropsOracle {
    static String hex(String s) {
        StringBuilder b = new StringBuilder(s.length() * 4 + 1);
        b.append('x');  // keeps empty strings visible as a token
        for (int i = 0; i < s.length(); i++) b.append(String.format("%04x", (int) s.charAt(i)));
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Charset cs = Charset.forName(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, "UTF-8");
        String path;
        while ((path = in.readLine()) != null) {
            if (path.isEmpty()) continue;
            try {
                SortedMap<String, String> kv = new TreeMap<>();
                if (mode.equals("java")) {
                    Properties p = new Properties();
                    try (Reader r = new InputStreamReader(new FileInputStream(path), cs)) { p.load(r); }
                    for (String k : p.stringPropertyNames()) kv.put(k, p.getProperty(k));
                } else {
                    final boolean patched = mode.equals("liferay");
                    org.apache.commons.configuration.PropertiesConfiguration c =
                        new org.apache.commons.configuration.PropertiesConfiguration() {
                            // "include" lines are recorded, not followed, by our reader
                            @Override public boolean isIncludesAllowed() { return false; }
                        };
                    if (patched) c.setIOFactory(new LiferayPatchedFactory());
                    c.setEncoding(cs.name());
                    c.setFileName(new File(path).getAbsolutePath());
                    c.load();
                    Iterator<String> it = c.getKeys();
                    while (it.hasNext()) {
                        String k = it.next();
                        Object v = c.getProperty(k);
                        if (v instanceof List) {
                            StringBuilder b = new StringBuilder();
                            List<?> l = (List<?>) v;
                            for (int i = 0; i < l.size(); i++) { if (i > 0) b.append(','); b.append(String.valueOf(l.get(i))); }
                            kv.put(k, b.toString());
                        } else {
                            kv.put(k, String.valueOf(v));
                        }
                    }
                }
                out.println("FILE");
                for (Map.Entry<String, String> e : kv.entrySet()) out.println("KV " + hex(e.getKey()) + " " + hex(e.getValue()));
                out.println("END");
            } catch (Throwable t) {
                out.println("ERROR " + t.getClass().getSimpleName());
            }
            out.flush();
        }
        out.flush();
    }

    // Liferay's patched commons-configuration (liferay-portal modules/third-party/
    // org-apache-commons-configuration, LPS-94307 + LPS-102832) differs from stock 1.10 only in
    // PropertiesReader.doParseProperty: the key ends at the first '=', both sides trimmed, and a
    // line without '=' yields an empty key and value. Reproduced here through the public IOFactory.
    static class LiferayPatchedFactory extends org.apache.commons.configuration.PropertiesConfiguration.DefaultIOFactory {
        @Override
        public org.apache.commons.configuration.PropertiesConfiguration.PropertiesReader createPropertiesReader(Reader in, char delimiter) {
            return new org.apache.commons.configuration.PropertiesConfiguration.PropertiesReader(in, delimiter) {
                @Override
                protected void parseProperty(String line) {
                    int index = line.indexOf('=');
                    if (index == -1) {
                        initPropertyName(""); initPropertyValue(""); initPropertySeparator("");
                    } else {
                        initPropertyName(line.substring(0, index).trim());
                        initPropertyValue(line.substring(index + 1).trim());
                        initPropertySeparator("=");
                    }
                }
            };
        }
    }
}
