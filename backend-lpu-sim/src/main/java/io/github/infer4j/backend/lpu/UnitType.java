package io.github.infer4j.backend.lpu;

/** The kinds of unit that take instructions, for utilisation figures and trace lanes. */
enum UnitType {
    MEM_READ("MEM read"),
    MEM_WRITE("MEM write"),
    MXM_INSTALL("MXM install"),
    MXM_COMPUTE("MXM compute"),
    VXM("VXM"),
    SXM("SXM"),
    C2C("C2C"),
    ICU("ICU");

    private final String label;

    UnitType(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
