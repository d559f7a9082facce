package io.pawfiler.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML to plain maps/lists/scalars and to JSON, refusing what a careless edit produces (duplicate keys). */
final class Yamls {

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Yamls() {
    }

    static Object load(String yaml) {
        LoaderOptions options = new LoaderOptions();
        // a repeated key silently drops the first value: in a route table that is a lost route
        options.setAllowDuplicateKeys(false);
        // envoy.yaml shares its per-route settings through aliases (snakeyaml's default cap of 50 guards against
        // "billion laughs" documents; these files are ours)
        options.setMaxAliasesForCollections(500);
        return new Yaml(new SafeConstructor(options)).load(yaml);
    }

    static String toJson(Object tree) {
        return GSON.toJson(tree);
    }
}
