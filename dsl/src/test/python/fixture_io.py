"""Writes arrays in the plain-text fixture format read by org.seqlab.testing.TorchFixture.

Each array: a header line ``name d0 d1 ...`` then one line of its values in C order, with 17
significant digits so double-precision parity tests compare against exactly what PyTorch computed.
"""


def write_fixture(path, arrays):
    with open(path, "w") as out:
        for name, value in arrays.items():
            a = value.detach().double().contiguous().numpy() if hasattr(value, "detach") else value
            shape = " ".join(str(d) for d in a.shape)
            out.write(f"{name} {shape}".rstrip() + "\n")
            out.write(" ".join(repr(float(x)) for x in a.reshape(-1)) + "\n")
