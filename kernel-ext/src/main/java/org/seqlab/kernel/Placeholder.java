package org.seqlab.kernel; final class Placeholder {}
