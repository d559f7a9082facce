package io.pawfiler.gateway;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * What Envoy checks beyond the JSON mapping when it loads a config: the protoc-gen-validate rules in its API protos
 * (required messages and oneofs, number ranges such as port_value &lt;= 65535, string lengths, duration bounds, list
 * sizes, defined enum values) and deprecated fields, which this project does not use. Covers the rule kinds the v3
 * API uses on the fields we touch; well-known string formats (header names, hostnames) are not checked.
 */
final class ProtoRules {

    private ProtoRules() {
    }

    static List<String> violations(Message root) {
        List<String> problems = new ArrayList<>();
        check(root, "", problems);
        return problems;
    }

    private static void check(Message message, String path, List<String> problems) {
        Any any = EnvoyConfig.asAny(message);
        if (any != null) {
            check(EnvoyConfig.open(any), path + "<" + EnvoyConfig.typeName(any) + ">", problems);
            return;
        }
        Descriptor type = message.getDescriptorForType();
        if (type.getOptions().getExtension(Validate.disabled)) {
            return;
        }
        for (OneofDescriptor oneof : type.getRealOneofs()) {
            if (oneof.getOptions().getExtension(Validate.required) && !message.hasOneof(oneof)) {
                problems.add(path + ": one of " + oneof.getName() + " is required");
            }
        }
        for (FieldDescriptor field : type.getFields()) {
            String at = path + "." + field.getName();
            boolean set = field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field);
            if (set && field.getOptions().getDeprecated()) {
                problems.add(at + " is deprecated");
            }
            FieldRules rules = field.getOptions().getExtension(Validate.rules);
            if (field.isRepeated()) {
                checkRepeated(message, field, rules, at, problems);
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (!set && field.getRealContainingOneof() != null) {
                    continue;  // a oneof member's rules apply only when it is the one chosen
                }
                if (set) {
                    checkMessage((Message) message.getField(field), field, rules, at, problems);
                } else if (rules.getMessage().getRequired()
                        || rules.hasDuration() && rules.getDuration().getRequired()
                        || rules.hasAny() && rules.getAny().getRequired()) {
                    problems.add(at + " is required");
                }
            } else if (field.getContainingOneof() == null || set) {
                // proto3 scalars are checked even when left at their default, as Envoy's validation does
                checkValue(message.getField(field), field, rules, at, problems);
            }
        }
    }

    private static void checkRepeated(Message message, FieldDescriptor field, FieldRules rules, String at,
                                      List<String> problems) {
        int count = message.getRepeatedFieldCount(field);
        if (rules.hasRepeated()) {
            Validate.RepeatedRules repeated = rules.getRepeated();
            if (repeated.hasMinItems() && count < repeated.getMinItems()) {
                problems.add(at + ": at least " + repeated.getMinItems() + " items, not " + count);
            }
            if (repeated.hasMaxItems() && count > repeated.getMaxItems()) {
                problems.add(at + ": at most " + repeated.getMaxItems() + " items, not " + count);
            }
        }
        if (rules.hasMap()) {
            Validate.MapRules map = rules.getMap();
            if (map.hasMinPairs() && count < map.getMinPairs()) {
                problems.add(at + ": at least " + map.getMinPairs() + " entries");
            }
        }
        for (int i = 0; i < count; i++) {
            Object item = message.getRepeatedField(field, i);
            String itemAt = at + "[" + i + "]";
            if (field.isMapField()) {
                Message entry = (Message) item;
                FieldDescriptor key = entry.getDescriptorForType().findFieldByName("key");
                FieldDescriptor value = entry.getDescriptorForType().findFieldByName("value");
                String entryAt = at + "[" + entry.getField(key) + "]";
                if (rules.getMap().hasKeys()) {
                    checkValue(entry.getField(key), key, rules.getMap().getKeys(), entryAt + "(key)", problems);
                }
                FieldRules valueRules = rules.getMap().hasValues() ? rules.getMap().getValues() : FieldRules.getDefaultInstance();
                if (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    checkMessage((Message) entry.getField(value), value, valueRules, entryAt, problems);
                } else {
                    checkValue(entry.getField(value), value, valueRules, entryAt, problems);
                }
            } else {
                FieldRules itemRules = rules.getRepeated().hasItems() ? rules.getRepeated().getItems() : FieldRules.getDefaultInstance();
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    checkMessage((Message) item, field, itemRules, itemAt, problems);
                } else {
                    checkValue(item, field, itemRules, itemAt, problems);
                }
            }
        }
    }

    private static void checkMessage(Message value, FieldDescriptor field, FieldRules rules, String at,
                                     List<String> problems) {
        String typeName = value.getDescriptorForType().getFullName();
        if (value instanceof Duration duration && rules.hasDuration()) {
            checkDuration(duration, rules.getDuration(), at, problems);
        } else if (typeName.startsWith("google.protobuf.") && typeName.endsWith("Value") && (rules.getTypeCase() != FieldRules.TypeCase.TYPE_NOT_SET)) {
            // wrappers (UInt32Value ...): the scalar rule applies to the wrapped value
            FieldDescriptor inner = value.getDescriptorForType().findFieldByName("value");
            checkValue(value.getField(inner), inner, rules, at, problems);
        }
        check(value, at, problems);
    }

    private static void checkDuration(Duration value, Validate.DurationRules rules, String at, List<String> problems) {
        BigDecimal seconds = seconds(value);
        if (rules.hasGt() && seconds.compareTo(seconds(rules.getGt())) <= 0) {
            problems.add(at + ": must be longer than " + seconds(rules.getGt()) + " s");
        }
        if (rules.hasGte() && seconds.compareTo(seconds(rules.getGte())) < 0) {
            problems.add(at + ": must be at least " + seconds(rules.getGte()) + " s");
        }
        if (rules.hasLt() && seconds.compareTo(seconds(rules.getLt())) >= 0) {
            problems.add(at + ": must be shorter than " + seconds(rules.getLt()) + " s");
        }
        if (rules.hasLte() && seconds.compareTo(seconds(rules.getLte())) > 0) {
            problems.add(at + ": must be at most " + seconds(rules.getLte()) + " s");
        }
    }

    private static BigDecimal seconds(Duration duration) {
        return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNanos(), 9));
    }

    /** Scalars: numbers, strings, bytes, bools and enums. */
    private static void checkValue(Object value, FieldDescriptor field, FieldRules rules, String at,
                                   List<String> problems) {
        if (value instanceof EnumValueDescriptor enumValue) {
            if (enumValue.getIndex() < 0 || rules.getEnum().getDefinedOnly()
                    && field.getEnumType().findValueByNumber(enumValue.getNumber()) == null) {
                problems.add(at + ": undefined enum value " + enumValue.getNumber());
            }
            if (rules.getEnum().getNotInList().contains(enumValue.getNumber())) {
                problems.add(at + ": " + enumValue.getName() + " is not allowed");
            }
            if (rules.getEnum().getInCount() > 0 && !rules.getEnum().getInList().contains(enumValue.getNumber())) {
                problems.add(at + ": " + enumValue.getName() + " is not one of the allowed values");
            }
            return;
        }
        if (!(rules.getTypeCase() != FieldRules.TypeCase.TYPE_NOT_SET)) {
            return;
        }
        switch (rules.getTypeCase()) {
            case STRING -> checkString((String) value, rules.getString(), at, problems);
            case BYTES -> {
                Validate.BytesRules bytes = rules.getBytes();
                int size = ((ByteString) value).size();
                if (bytes.hasMinLen() && size < bytes.getMinLen()) {
                    problems.add(at + ": at least " + bytes.getMinLen() + " bytes");
                }
            }
            case BOOL -> {
                if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) value) {
                    problems.add(at + ": must be " + rules.getBool().getConst());
                }
            }
            case FLOAT, DOUBLE, INT32, INT64, UINT32, UINT64, SINT32, SINT64, FIXED32, FIXED64, SFIXED32, SFIXED64 ->
                    checkNumber(value, field, (Message) rules.getField(
                            rules.getDescriptorForType().findFieldByNumber(rules.getTypeCase().getNumber())), at, problems);
            default -> {
                // ENUM/DURATION/... rules on a scalar field do not occur
            }
        }
    }

    private static void checkNumber(Object value, FieldDescriptor field, Message rules, String at, List<String> problems) {
        BigDecimal number = number(value, field);
        Descriptor type = rules.getDescriptorForType();
        FieldDescriptor ignoreEmpty = type.findFieldByName("ignore_empty");
        if (ignoreEmpty != null && (Boolean) rules.getField(ignoreEmpty) && number.signum() == 0) {
            return;
        }
        BigDecimal gt = bound(rules, "gt", field);
        BigDecimal gte = bound(rules, "gte", field);
        BigDecimal lt = bound(rules, "lt", field);
        BigDecimal lte = bound(rules, "lte", field);
        BigDecimal exact = bound(rules, "const", field);
        if (exact != null && number.compareTo(exact) != 0) {
            problems.add(at + ": must be " + exact + ", not " + number);
        }
        BigDecimal upper = lt != null ? lt : lte;
        BigDecimal lower = gt != null ? gt : gte;
        if (upper != null && lower != null && upper.compareTo(lower) < 0) {
            return;  // an exclusive range (outside [upper, lower]); not used on fields we set
        }
        if (gt != null && number.compareTo(gt) <= 0) {
            problems.add(at + ": must be greater than " + gt + ", not " + number);
        }
        if (gte != null && number.compareTo(gte) < 0) {
            problems.add(at + ": must be at least " + gte + ", not " + number);
        }
        if (lt != null && number.compareTo(lt) >= 0) {
            problems.add(at + ": must be less than " + lt + ", not " + number);
        }
        if (lte != null && number.compareTo(lte) > 0) {
            problems.add(at + ": must be at most " + lte + ", not " + number);
        }
    }

    private static BigDecimal bound(Message rules, String name, FieldDescriptor valueField) {
        FieldDescriptor field = rules.getDescriptorForType().findFieldByName(name);
        return field != null && rules.hasField(field) ? number(rules.getField(field), field) : null;
    }

    private static BigDecimal number(Object value, FieldDescriptor field) {
        boolean unsigned = switch (field.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
        if (value instanceof Integer i) {
            return unsigned ? BigDecimal.valueOf(Integer.toUnsignedLong(i)) : BigDecimal.valueOf(i);
        }
        if (value instanceof Long l) {
            return unsigned ? new BigDecimal(Long.toUnsignedString(l)) : BigDecimal.valueOf(l);
        }
        return BigDecimal.valueOf(((Number) value).doubleValue());
    }

    private static void checkString(String value, Validate.StringRules rules, String at, List<String> problems) {
        if (rules.getIgnoreEmpty() && value.isEmpty()) {
            return;
        }
        long length = value.codePointCount(0, value.length());
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (rules.hasConst() && !rules.getConst().equals(value)) {
            problems.add(at + ": must be \"" + rules.getConst() + "\"");
        }
        if (rules.hasMinLen() && length < rules.getMinLen()) {
            problems.add(at + ": at least " + rules.getMinLen() + " characters");
        }
        if (rules.hasMaxLen() && length > rules.getMaxLen()) {
            problems.add(at + ": at most " + rules.getMaxLen() + " characters");
        }
        if (rules.hasMinBytes() && bytes < rules.getMinBytes()) {
            problems.add(at + ": at least " + rules.getMinBytes() + " bytes");
        }
        if (rules.hasMaxBytes() && bytes > rules.getMaxBytes()) {
            problems.add(at + ": at most " + rules.getMaxBytes() + " bytes");
        }
        if (rules.hasPrefix() && !value.startsWith(rules.getPrefix())) {
            problems.add(at + ": must start with " + rules.getPrefix());
        }
        if (rules.hasPattern() && !Pattern.compile(rules.getPattern()).matcher(value).find()) {
            problems.add(at + ": must match " + rules.getPattern());
        }
        if (rules.getInCount() > 0 && !rules.getInList().contains(value)) {
            problems.add(at + ": must be one of " + rules.getInList());
        }
        if (rules.getNotInList().contains(value)) {
            problems.add(at + ": must not be " + value);
        }
    }
}
