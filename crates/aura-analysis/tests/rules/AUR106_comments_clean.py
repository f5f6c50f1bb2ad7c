# A licence header and API comments: 900 lines of code, 1,200 lines in all.
# comment line 0
# comment line 1
# comment line 2
# comment line 3
# comment line 4
# comment line 5
# comment line 6
# comment line 7
# comment line 8
# comment line 9
# comment line 10
# comment line 11
# comment line 12
# comment line 13
# comment line 14
# comment line 15
# comment line 16
# comment line 17
# comment line 18
# comment line 19
# comment line 20
# comment line 21
# comment line 22
# comment line 23
# comment line 24
# comment line 25
# comment line 26
# comment line 27
# comment line 28
# comment line 29
# comment line 30
# comment line 31
# comment line 32
# comment line 33
# comment line 34
# comment line 35
# comment line 36
# comment line 37
# comment line 38
# comment line 39
# comment line 40
# comment line 41
# comment line 42
# comment line 43
# comment line 44
# comment line 45
# comment line 46
# comment line 47
# comment line 48
# comment line 49
# comment line 50
# comment line 51
# comment line 52
# comment line 53
# comment line 54
# comment line 55
# comment line 56
# comment line 57
# comment line 58
# comment line 59
# comment line 60
# comment line 61
# comment line 62
# comment line 63
# comment line 64
# comment line 65
# comment line 66
# comment line 67
# comment line 68
# comment line 69
# comment line 70
# comment line 71
# comment line 72
# comment line 73
# comment line 74
# comment line 75
# comment line 76
# comment line 77
# comment line 78
# comment line 79
# comment line 80
# comment line 81
# comment line 82
# comment line 83
# comment line 84
# comment line 85
# comment line 86
# comment line 87
# comment line 88
# comment line 89
# comment line 90
# comment line 91
# comment line 92
# comment line 93
# comment line 94
# comment line 95
# comment line 96
# comment line 97
# comment line 98
# comment line 99
# comment line 100
# comment line 101
# comment line 102
# comment line 103
# comment line 104
# comment line 105
# comment line 106
# comment line 107
# comment line 108
# comment line 109
# comment line 110
# comment line 111
# comment line 112
# comment line 113
# comment line 114
# comment line 115
# comment line 116
# comment line 117
# comment line 118
# comment line 119
# comment line 120
# comment line 121
# comment line 122
# comment line 123
# comment line 124
# comment line 125
# comment line 126
# comment line 127
# comment line 128
# comment line 129
# comment line 130
# comment line 131
# comment line 132
# comment line 133
# comment line 134
# comment line 135
# comment line 136
# comment line 137
# comment line 138
# comment line 139
# comment line 140
# comment line 141
# comment line 142
# comment line 143
# comment line 144
# comment line 145
# comment line 146
# comment line 147
# comment line 148
# comment line 149
# comment line 150
# comment line 151
# comment line 152
# comment line 153
# comment line 154
# comment line 155
# comment line 156
# comment line 157
# comment line 158
# comment line 159
# comment line 160
# comment line 161
# comment line 162
# comment line 163
# comment line 164
# comment line 165
# comment line 166
# comment line 167
# comment line 168
# comment line 169
# comment line 170
# comment line 171
# comment line 172
# comment line 173
# comment line 174
# comment line 175
# comment line 176
# comment line 177
# comment line 178
# comment line 179
# comment line 180
# comment line 181
# comment line 182
# comment line 183
# comment line 184
# comment line 185
# comment line 186
# comment line 187
# comment line 188
# comment line 189
# comment line 190
# comment line 191
# comment line 192
# comment line 193
# comment line 194
# comment line 195
# comment line 196
# comment line 197
# comment line 198
# comment line 199
# comment line 200
# comment line 201
# comment line 202
# comment line 203
# comment line 204
# comment line 205
# comment line 206
# comment line 207
# comment line 208
# comment line 209
# comment line 210
# comment line 211
# comment line 212
# comment line 213
# comment line 214
# comment line 215
# comment line 216
# comment line 217
# comment line 218
# comment line 219
# comment line 220
# comment line 221
# comment line 222
# comment line 223
# comment line 224
# comment line 225
# comment line 226
# comment line 227
# comment line 228
# comment line 229
# comment line 230
# comment line 231
# comment line 232
# comment line 233
# comment line 234
# comment line 235
# comment line 236
# comment line 237
# comment line 238
# comment line 239
# comment line 240
# comment line 241
# comment line 242
# comment line 243
# comment line 244
# comment line 245
# comment line 246
# comment line 247
# comment line 248
# comment line 249
# comment line 250
# comment line 251
# comment line 252
# comment line 253
# comment line 254
# comment line 255
# comment line 256
# comment line 257
# comment line 258
# comment line 259
# comment line 260
# comment line 261
# comment line 262
# comment line 263
# comment line 264
# comment line 265
# comment line 266
# comment line 267
# comment line 268
# comment line 269
# comment line 270
# comment line 271
# comment line 272
# comment line 273
# comment line 274
# comment line 275
# comment line 276
# comment line 277
# comment line 278
# comment line 279
# comment line 280
# comment line 281
# comment line 282
# comment line 283
# comment line 284
# comment line 285
# comment line 286
# comment line 287
# comment line 288
# comment line 289
# comment line 290
# comment line 291
# comment line 292
# comment line 293
# comment line 294
# comment line 295
# comment line 296
# comment line 297
# comment line 298
x0 = 0
x1 = 1
x2 = 2
x3 = 3
x4 = 4
x5 = 5
x6 = 6
x7 = 7
x8 = 8
x9 = 9
x10 = 10
x11 = 11
x12 = 12
x13 = 13
x14 = 14
x15 = 15
x16 = 16
x17 = 17
x18 = 18
x19 = 19
x20 = 20
x21 = 21
x22 = 22
x23 = 23
x24 = 24
x25 = 25
x26 = 26
x27 = 27
x28 = 28
x29 = 29
x30 = 30
x31 = 31
x32 = 32
x33 = 33
x34 = 34
x35 = 35
x36 = 36
x37 = 37
x38 = 38
x39 = 39
x40 = 40
x41 = 41
x42 = 42
x43 = 43
x44 = 44
x45 = 45
x46 = 46
x47 = 47
x48 = 48
x49 = 49
x50 = 50
x51 = 51
x52 = 52
x53 = 53
x54 = 54
x55 = 55
x56 = 56
x57 = 57
x58 = 58
x59 = 59
x60 = 60
x61 = 61
x62 = 62
x63 = 63
x64 = 64
x65 = 65
x66 = 66
x67 = 67
x68 = 68
x69 = 69
x70 = 70
x71 = 71
x72 = 72
x73 = 73
x74 = 74
x75 = 75
x76 = 76
x77 = 77
x78 = 78
x79 = 79
x80 = 80
x81 = 81
x82 = 82
x83 = 83
x84 = 84
x85 = 85
x86 = 86
x87 = 87
x88 = 88
x89 = 89
x90 = 90
x91 = 91
x92 = 92
x93 = 93
x94 = 94
x95 = 95
x96 = 96
x97 = 97
x98 = 98
x99 = 99
x100 = 100
x101 = 101
x102 = 102
x103 = 103
x104 = 104
x105 = 105
x106 = 106
x107 = 107
x108 = 108
x109 = 109
x110 = 110
x111 = 111
x112 = 112
x113 = 113
x114 = 114
x115 = 115
x116 = 116
x117 = 117
x118 = 118
x119 = 119
x120 = 120
x121 = 121
x122 = 122
x123 = 123
x124 = 124
x125 = 125
x126 = 126
x127 = 127
x128 = 128
x129 = 129
x130 = 130
x131 = 131
x132 = 132
x133 = 133
x134 = 134
x135 = 135
x136 = 136
x137 = 137
x138 = 138
x139 = 139
x140 = 140
x141 = 141
x142 = 142
x143 = 143
x144 = 144
x145 = 145
x146 = 146
x147 = 147
x148 = 148
x149 = 149
x150 = 150
x151 = 151
x152 = 152
x153 = 153
x154 = 154
x155 = 155
x156 = 156
x157 = 157
x158 = 158
x159 = 159
x160 = 160
x161 = 161
x162 = 162
x163 = 163
x164 = 164
x165 = 165
x166 = 166
x167 = 167
x168 = 168
x169 = 169
x170 = 170
x171 = 171
x172 = 172
x173 = 173
x174 = 174
x175 = 175
x176 = 176
x177 = 177
x178 = 178
x179 = 179
x180 = 180
x181 = 181
x182 = 182
x183 = 183
x184 = 184
x185 = 185
x186 = 186
x187 = 187
x188 = 188
x189 = 189
x190 = 190
x191 = 191
x192 = 192
x193 = 193
x194 = 194
x195 = 195
x196 = 196
x197 = 197
x198 = 198
x199 = 199
x200 = 200
x201 = 201
x202 = 202
x203 = 203
x204 = 204
x205 = 205
x206 = 206
x207 = 207
x208 = 208
x209 = 209
x210 = 210
x211 = 211
x212 = 212
x213 = 213
x214 = 214
x215 = 215
x216 = 216
x217 = 217
x218 = 218
x219 = 219
x220 = 220
x221 = 221
x222 = 222
x223 = 223
x224 = 224
x225 = 225
x226 = 226
x227 = 227
x228 = 228
x229 = 229
x230 = 230
x231 = 231
x232 = 232
x233 = 233
x234 = 234
x235 = 235
x236 = 236
x237 = 237
x238 = 238
x239 = 239
x240 = 240
x241 = 241
x242 = 242
x243 = 243
x244 = 244
x245 = 245
x246 = 246
x247 = 247
x248 = 248
x249 = 249
x250 = 250
x251 = 251
x252 = 252
x253 = 253
x254 = 254
x255 = 255
x256 = 256
x257 = 257
x258 = 258
x259 = 259
x260 = 260
x261 = 261
x262 = 262
x263 = 263
x264 = 264
x265 = 265
x266 = 266
x267 = 267
x268 = 268
x269 = 269
x270 = 270
x271 = 271
x272 = 272
x273 = 273
x274 = 274
x275 = 275
x276 = 276
x277 = 277
x278 = 278
x279 = 279
x280 = 280
x281 = 281
x282 = 282
x283 = 283
x284 = 284
x285 = 285
x286 = 286
x287 = 287
x288 = 288
x289 = 289
x290 = 290
x291 = 291
x292 = 292
x293 = 293
x294 = 294
x295 = 295
x296 = 296
x297 = 297
x298 = 298
x299 = 299
x300 = 300
x301 = 301
x302 = 302
x303 = 303
x304 = 304
x305 = 305
x306 = 306
x307 = 307
x308 = 308
x309 = 309
x310 = 310
x311 = 311
x312 = 312
x313 = 313
x314 = 314
x315 = 315
x316 = 316
x317 = 317
x318 = 318
x319 = 319
x320 = 320
x321 = 321
x322 = 322
x323 = 323
x324 = 324
x325 = 325
x326 = 326
x327 = 327
x328 = 328
x329 = 329
x330 = 330
x331 = 331
x332 = 332
x333 = 333
x334 = 334
x335 = 335
x336 = 336
x337 = 337
x338 = 338
x339 = 339
x340 = 340
x341 = 341
x342 = 342
x343 = 343
x344 = 344
x345 = 345
x346 = 346
x347 = 347
x348 = 348
x349 = 349
x350 = 350
x351 = 351
x352 = 352
x353 = 353
x354 = 354
x355 = 355
x356 = 356
x357 = 357
x358 = 358
x359 = 359
x360 = 360
x361 = 361
x362 = 362
x363 = 363
x364 = 364
x365 = 365
x366 = 366
x367 = 367
x368 = 368
x369 = 369
x370 = 370
x371 = 371
x372 = 372
x373 = 373
x374 = 374
x375 = 375
x376 = 376
x377 = 377
x378 = 378
x379 = 379
x380 = 380
x381 = 381
x382 = 382
x383 = 383
x384 = 384
x385 = 385
x386 = 386
x387 = 387
x388 = 388
x389 = 389
x390 = 390
x391 = 391
x392 = 392
x393 = 393
x394 = 394
x395 = 395
x396 = 396
x397 = 397
x398 = 398
x399 = 399
x400 = 400
x401 = 401
x402 = 402
x403 = 403
x404 = 404
x405 = 405
x406 = 406
x407 = 407
x408 = 408
x409 = 409
x410 = 410
x411 = 411
x412 = 412
x413 = 413
x414 = 414
x415 = 415
x416 = 416
x417 = 417
x418 = 418
x419 = 419
x420 = 420
x421 = 421
x422 = 422
x423 = 423
x424 = 424
x425 = 425
x426 = 426
x427 = 427
x428 = 428
x429 = 429
x430 = 430
x431 = 431
x432 = 432
x433 = 433
x434 = 434
x435 = 435
x436 = 436
x437 = 437
x438 = 438
x439 = 439
x440 = 440
x441 = 441
x442 = 442
x443 = 443
x444 = 444
x445 = 445
x446 = 446
x447 = 447
x448 = 448
x449 = 449
x450 = 450
x451 = 451
x452 = 452
x453 = 453
x454 = 454
x455 = 455
x456 = 456
x457 = 457
x458 = 458
x459 = 459
x460 = 460
x461 = 461
x462 = 462
x463 = 463
x464 = 464
x465 = 465
x466 = 466
x467 = 467
x468 = 468
x469 = 469
x470 = 470
x471 = 471
x472 = 472
x473 = 473
x474 = 474
x475 = 475
x476 = 476
x477 = 477
x478 = 478
x479 = 479
x480 = 480
x481 = 481
x482 = 482
x483 = 483
x484 = 484
x485 = 485
x486 = 486
x487 = 487
x488 = 488
x489 = 489
x490 = 490
x491 = 491
x492 = 492
x493 = 493
x494 = 494
x495 = 495
x496 = 496
x497 = 497
x498 = 498
x499 = 499
x500 = 500
x501 = 501
x502 = 502
x503 = 503
x504 = 504
x505 = 505
x506 = 506
x507 = 507
x508 = 508
x509 = 509
x510 = 510
x511 = 511
x512 = 512
x513 = 513
x514 = 514
x515 = 515
x516 = 516
x517 = 517
x518 = 518
x519 = 519
x520 = 520
x521 = 521
x522 = 522
x523 = 523
x524 = 524
x525 = 525
x526 = 526
x527 = 527
x528 = 528
x529 = 529
x530 = 530
x531 = 531
x532 = 532
x533 = 533
x534 = 534
x535 = 535
x536 = 536
x537 = 537
x538 = 538
x539 = 539
x540 = 540
x541 = 541
x542 = 542
x543 = 543
x544 = 544
x545 = 545
x546 = 546
x547 = 547
x548 = 548
x549 = 549
x550 = 550
x551 = 551
x552 = 552
x553 = 553
x554 = 554
x555 = 555
x556 = 556
x557 = 557
x558 = 558
x559 = 559
x560 = 560
x561 = 561
x562 = 562
x563 = 563
x564 = 564
x565 = 565
x566 = 566
x567 = 567
x568 = 568
x569 = 569
x570 = 570
x571 = 571
x572 = 572
x573 = 573
x574 = 574
x575 = 575
x576 = 576
x577 = 577
x578 = 578
x579 = 579
x580 = 580
x581 = 581
x582 = 582
x583 = 583
x584 = 584
x585 = 585
x586 = 586
x587 = 587
x588 = 588
x589 = 589
x590 = 590
x591 = 591
x592 = 592
x593 = 593
x594 = 594
x595 = 595
x596 = 596
x597 = 597
x598 = 598
x599 = 599
x600 = 600
x601 = 601
x602 = 602
x603 = 603
x604 = 604
x605 = 605
x606 = 606
x607 = 607
x608 = 608
x609 = 609
x610 = 610
x611 = 611
x612 = 612
x613 = 613
x614 = 614
x615 = 615
x616 = 616
x617 = 617
x618 = 618
x619 = 619
x620 = 620
x621 = 621
x622 = 622
x623 = 623
x624 = 624
x625 = 625
x626 = 626
x627 = 627
x628 = 628
x629 = 629
x630 = 630
x631 = 631
x632 = 632
x633 = 633
x634 = 634
x635 = 635
x636 = 636
x637 = 637
x638 = 638
x639 = 639
x640 = 640
x641 = 641
x642 = 642
x643 = 643
x644 = 644
x645 = 645
x646 = 646
x647 = 647
x648 = 648
x649 = 649
x650 = 650
x651 = 651
x652 = 652
x653 = 653
x654 = 654
x655 = 655
x656 = 656
x657 = 657
x658 = 658
x659 = 659
x660 = 660
x661 = 661
x662 = 662
x663 = 663
x664 = 664
x665 = 665
x666 = 666
x667 = 667
x668 = 668
x669 = 669
x670 = 670
x671 = 671
x672 = 672
x673 = 673
x674 = 674
x675 = 675
x676 = 676
x677 = 677
x678 = 678
x679 = 679
x680 = 680
x681 = 681
x682 = 682
x683 = 683
x684 = 684
x685 = 685
x686 = 686
x687 = 687
x688 = 688
x689 = 689
x690 = 690
x691 = 691
x692 = 692
x693 = 693
x694 = 694
x695 = 695
x696 = 696
x697 = 697
x698 = 698
x699 = 699
x700 = 700
x701 = 701
x702 = 702
x703 = 703
x704 = 704
x705 = 705
x706 = 706
x707 = 707
x708 = 708
x709 = 709
x710 = 710
x711 = 711
x712 = 712
x713 = 713
x714 = 714
x715 = 715
x716 = 716
x717 = 717
x718 = 718
x719 = 719
x720 = 720
x721 = 721
x722 = 722
x723 = 723
x724 = 724
x725 = 725
x726 = 726
x727 = 727
x728 = 728
x729 = 729
x730 = 730
x731 = 731
x732 = 732
x733 = 733
x734 = 734
x735 = 735
x736 = 736
x737 = 737
x738 = 738
x739 = 739
x740 = 740
x741 = 741
x742 = 742
x743 = 743
x744 = 744
x745 = 745
x746 = 746
x747 = 747
x748 = 748
x749 = 749
x750 = 750
x751 = 751
x752 = 752
x753 = 753
x754 = 754
x755 = 755
x756 = 756
x757 = 757
x758 = 758
x759 = 759
x760 = 760
x761 = 761
x762 = 762
x763 = 763
x764 = 764
x765 = 765
x766 = 766
x767 = 767
x768 = 768
x769 = 769
x770 = 770
x771 = 771
x772 = 772
x773 = 773
x774 = 774
x775 = 775
x776 = 776
x777 = 777
x778 = 778
x779 = 779
x780 = 780
x781 = 781
x782 = 782
x783 = 783
x784 = 784
x785 = 785
x786 = 786
x787 = 787
x788 = 788
x789 = 789
x790 = 790
x791 = 791
x792 = 792
x793 = 793
x794 = 794
x795 = 795
x796 = 796
x797 = 797
x798 = 798
x799 = 799
x800 = 800
x801 = 801
x802 = 802
x803 = 803
x804 = 804
x805 = 805
x806 = 806
x807 = 807
x808 = 808
x809 = 809
x810 = 810
x811 = 811
x812 = 812
x813 = 813
x814 = 814
x815 = 815
x816 = 816
x817 = 817
x818 = 818
x819 = 819
x820 = 820
x821 = 821
x822 = 822
x823 = 823
x824 = 824
x825 = 825
x826 = 826
x827 = 827
x828 = 828
x829 = 829
x830 = 830
x831 = 831
x832 = 832
x833 = 833
x834 = 834
x835 = 835
x836 = 836
x837 = 837
x838 = 838
x839 = 839
x840 = 840
x841 = 841
x842 = 842
x843 = 843
x844 = 844
x845 = 845
x846 = 846
x847 = 847
x848 = 848
x849 = 849
x850 = 850
x851 = 851
x852 = 852
x853 = 853
x854 = 854
x855 = 855
x856 = 856
x857 = 857
x858 = 858
x859 = 859
x860 = 860
x861 = 861
x862 = 862
x863 = 863
x864 = 864
x865 = 865
x866 = 866
x867 = 867
x868 = 868
x869 = 869
x870 = 870
x871 = 871
x872 = 872
x873 = 873
x874 = 874
x875 = 875
x876 = 876
x877 = 877
x878 = 878
x879 = 879
x880 = 880
x881 = 881
x882 = 882
x883 = 883
x884 = 884
x885 = 885
x886 = 886
x887 = 887
x888 = 888
x889 = 889
x890 = 890
x891 = 891
x892 = 892
x893 = 893
x894 = 894
x895 = 895
x896 = 896
x897 = 897
x898 = 898
x899 = 899
